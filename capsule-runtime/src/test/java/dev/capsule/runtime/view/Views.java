package dev.capsule.runtime.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Test helpers: ids, ops and trees in few words. */
final class Views {
    static final UrlPolicy URLS = new UrlPolicy(Set.of("img.example.com"));

    private Views() {}

    static ViewNodeId id(int value) {
        return new ViewNodeId(value);
    }

    static ViewTree tree() {
        return new ViewTree(ViewLimits.defaults(), URLS);
    }

    /** Applies ops as the tree's next batch. */
    static void apply(ViewTree tree, ViewOp... ops) {
        tree.apply(new ViewBatch(tree.version() + 1, Arrays.asList(ops)));
    }

    /** Creates an element and appends it to a parent. */
    static List<ViewOp> element(int id, String tag, int parent) {
        return List.of(new ViewOp.CreateElement(id(id), tag), new ViewOp.Insert(id(parent), id(id), null));
    }

    static List<ViewOp> text(int id, String text, int parent) {
        return List.of(new ViewOp.CreateText(id(id), text), new ViewOp.Insert(id(parent), id(id), null));
    }

    @SafeVarargs
    static ViewOp[] ops(List<ViewOp>... groups) {
        var out = new ArrayList<ViewOp>();
        for (List<ViewOp> g : groups) {
            out.addAll(g);
        }
        return out.toArray(ViewOp[]::new);
    }
}
