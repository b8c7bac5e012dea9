package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewNodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One open page: its instance, its root element (view node 1), the sent state's bookkeeping. */
final class PageView {
    final String route;
    Instance instance;
    /** The page root (view node 1); its children are the page template's top-level nodes, flattened. */
    VNode.Elem root;
    /** The last batch version sent (0 before the first). */
    int version;
    private int nextNodeId = ViewNodeId.ROOT.value() + 1;
    /** Sent nodes by id (for events). */
    final Map<ViewNodeId, VNode> byId = new HashMap<>();
    /** Sent nodes alive on the backend, the root included. */
    int alive = 1;
    /** Element and text nodes in the virtual tree. */
    int virtualNodes;
    /** Whether anything changed since the last batch (a render ran, a lifetime moved things). */
    boolean changed = true;
    /** A limit breach while writing ops left the sent state ahead of the backend: no more batches. */
    boolean frozen;
    /** Stylesheet paths in order of first use (the page, then components). */
    final Set<String> sheets = new LinkedHashSet<>();
    /** The page's own styleIsolation from its json (a page-* mode), or null: the default. */
    dev.capsule.runtime.view.wxml.StyleIsolation isolation;
    /** Chrome ops queued by {@link ViewEngine#chrome} (the session's chrome APIs); the next batch starts with them. */
    final List<dev.capsule.runtime.view.ViewOp.SetChrome> chrome = new ArrayList<>();
    /**
     * Scope classes of the page's {@code styleIsolation: shared} components, in order of first use:
     * WeChat lets such a component's rules style the page and its apply-shared/shared components, so
     * their elements carry these too ({@link Instance#scopes}).
     */
    final Set<String> sharedScopes = new LinkedHashSet<>();
    /** Every instance of this page, the page first, in creation order. */
    final List<Instance> instances = new ArrayList<>();

    PageView(String route) {
        this.route = route;
        sheets.add(route);
    }

    ViewNodeId allocate() {
        return new ViewNodeId(nextNodeId++);
    }
}
