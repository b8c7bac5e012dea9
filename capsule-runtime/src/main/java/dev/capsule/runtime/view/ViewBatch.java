package dev.capsule.runtime.view;

import java.util.List;
import java.util.Objects;

/**
 * One flush of one page: the ops in order, under a version that must be exactly the tree's previous
 * version plus one (the first batch of a page is version 1). A batch applies entirely or not at all.
 */
public record ViewBatch(int version, List<ViewOp> ops) {
    public ViewBatch {
        if (version <= 0) {
            throw new ViewOpException("batch version must be positive, got " + version);
        }
        ops = List.copyOf(Objects.requireNonNull(ops, "ops"));
    }
}
