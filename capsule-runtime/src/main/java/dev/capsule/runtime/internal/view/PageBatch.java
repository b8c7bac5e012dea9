package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewBatch;
import java.util.Objects;

/** The ops one {@link ViewEngine#flush} produced for one page. */
public record PageBatch(InstanceId page, ViewBatch batch) {
    public PageBatch {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(batch, "batch");
    }
}
