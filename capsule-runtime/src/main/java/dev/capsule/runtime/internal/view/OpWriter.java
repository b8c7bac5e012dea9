package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a page's virtual tree into the ops that bring the backend from what it has (each node's sent
 * state) to what the tree says now. Two passes over the rendered ("flat") tree, where fragments and
 * slots are opened and virtual hosts are replaced by their template: first every sent node that is no
 * longer under the same parent is removed; then new nodes are created (with their subtrees) and
 * inserted, changed properties set, and reordered children moved, keeping the longest run of children
 * already in order in place. Only differences become ops, so one changed item is O(1) ops.
 */
final class OpWriter {
    private final ViewLimits limits;
    private final PageView page;
    private final Slots slots = new Slots();
    private final Map<VNode.Elem, List<VNode>> flat = new IdentityHashMap<>();
    private final List<ViewOp> ops = new ArrayList<>();

    private OpWriter(ViewLimits limits, PageView page) {
        this.limits = limits;
        this.page = page;
    }

    /** The next batch of the page, or null when nothing differs. */
    static ViewBatch write(ViewLimits limits, PageView page) {
        OpWriter w = new OpWriter(limits, page);
        w.removals(page.root);
        w.sync(page.root);
        if (w.ops.isEmpty()) {
            return null;
        }
        if (w.ops.size() > limits.opsPerBatchMax()) {
            throw new ViewRenderException("page " + page.route + ": a flush of more than " + limits.opsPerBatchMax()
                    + " ops (ViewLimits.opsPerBatchMax)");
        }
        page.version++;
        return new ViewBatch(page.version, w.ops);
    }

    /** The children an element has in the rendered tree. */
    private List<VNode> children(VNode.Elem e) {
        List<VNode> done = flat.get(e);
        if (done != null) {
            return done;
        }
        List<VNode> out = new ArrayList<>();
        if (e == page.root) {
            flatten(page.instance.children, out);
        } else if (e.component != null) {
            flatten(e.component.children, out);
        } else {
            flatten(e.children, out);
        }
        flat.put(e, out);
        return out;
    }

    private void flatten(List<VNode> nodes, List<VNode> out) {
        for (VNode n : nodes) {
            switch (n) {
                case VNode.Text t -> out.add(t);
                case VNode.Elem e -> {
                    if (e.virtualHost()) {
                        flatten(e.component.children, out);
                    } else {
                        out.add(e);
                    }
                }
                case VNode.Frag f -> flatten(f.children, out);
                case VNode.Slot s -> flatten(slots.assigned(s), out);
            }
        }
    }

    // ---- pass 1: removals

    private void removals(VNode.Elem e) {
        List<VNode> now = children(e);
        if (same(now, e.sentChildren)) {
            for (VNode c : now) {
                if (c instanceof VNode.Elem ce) {
                    removals(ce);
                }
            }
            return;
        }
        Set<VNode> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(now);
        for (Iterator<VNode> it = e.sentChildren.iterator(); it.hasNext(); ) {
            VNode c = it.next();
            if (!keep.contains(c)) {
                ops.add(new ViewOp.Remove(c.id));
                forget(c);
                it.remove();
            } else if (c instanceof VNode.Elem ce) {
                removals(ce);
            }
        }
    }

    /** The same nodes in the same order (the common case: nothing added, removed or moved here). */
    private static boolean same(List<VNode> a, List<VNode> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private void forget(VNode n) {
        page.byId.remove(n.id);
        page.alive--;
        n.id = null;
        n.sentParent = null;
        if (n instanceof VNode.Elem e) {
            for (VNode c : e.sentChildren) {
                forget(c);
            }
            e.sentChildren = new ArrayList<>();
            e.sentAttrs = Map.of();
            e.sentClasses = List.of();
            e.sentStyles = Map.of();
            e.sentDataset = Map.of();
            e.dirty = true;
        }
    }

    // ---- pass 2: creation, properties, order

    private void sync(VNode.Elem e) {
        properties(e);
        List<VNode> now = children(e);
        if (same(now, e.sentChildren)) {
            for (VNode c : now) {
                if (c instanceof VNode.Elem ce) {
                    sync(ce);
                } else {
                    text((VNode.Text) c);
                }
            }
            return;
        }
        Map<VNode, Integer> before = new IdentityHashMap<>();
        for (int i = 0; i < e.sentChildren.size(); i++) {
            before.put(e.sentChildren.get(i), i);
        }
        List<Integer> positions = new ArrayList<>(now.size());
        for (VNode c : now) {
            c.sentParent = e;
            Integer at = before.get(c);
            positions.add(at == null ? -1 : at);
            if (at == null) {
                create(c, e.sentDepth + 1);
            } else if (c instanceof VNode.Elem ce) {
                sync(ce);
            } else {
                text((VNode.Text) c);
            }
        }
        boolean[] stays = Lis.stable(positions);
        for (int i = now.size() - 1; i >= 0; i--) {
            ViewNodeId anchor = i + 1 < now.size() ? now.get(i + 1).id : null;
            VNode c = now.get(i);
            if (positions.get(i) < 0) {
                ops.add(new ViewOp.Insert(e.id, c.id, anchor));
            } else if (!stays[i]) {
                ops.add(new ViewOp.Move(e.id, c.id, anchor));
            }
        }
        e.sentChildren = new ArrayList<>(now);
    }

    private void create(VNode n, int depth) {
        if (page.alive + 1 > limits.nodesPerPageMax()) {
            throw new ViewRenderException("page " + page.route + ": more than " + limits.nodesPerPageMax()
                    + " nodes (ViewLimits.nodesPerPageMax)");
        }
        if (depth > limits.depthMax()) {
            throw new ViewRenderException("page " + page.route + ": elements nested more than " + limits.depthMax()
                    + " deep (ViewLimits.depthMax)");
        }
        n.id = page.allocate();
        page.alive++;
        page.byId.put(n.id, n);
        switch (n) {
            case VNode.Text t -> {
                checkText(t.text);
                ops.add(new ViewOp.CreateText(t.id, t.text));
                t.sentText = t.text;
            }
            case VNode.Elem e -> {
                e.sentDepth = depth;
                ops.add(new ViewOp.CreateElement(e.id, e.tag));
                properties(e);
                List<VNode> now = children(e);
                for (VNode c : now) {
                    c.sentParent = e;
                    create(c, depth + 1);
                    ops.add(new ViewOp.Insert(e.id, c.id, null));
                }
                e.sentChildren = new ArrayList<>(now);
            }
            case VNode.Frag f -> throw new IllegalStateException("fragments are never sent");
            case VNode.Slot s -> throw new IllegalStateException("slots are never sent");
        }
    }

    private void text(VNode.Text t) {
        if (!t.text.equals(t.sentText)) {
            checkText(t.text);
            ops.add(new ViewOp.SetText(t.id, t.text));
            t.sentText = t.text;
        }
    }

    private void checkText(String text) {
        if (text.length() > limits.textCharsMax()) {
            throw new ViewRenderException("page " + page.route + ": a text of more than " + limits.textCharsMax()
                    + " characters (ViewLimits.textCharsMax)");
        }
    }

    private void properties(VNode.Elem e) {
        if (!e.dirty) {
            return;
        }
        e.dirty = false;
        if (!e.attrs.equals(e.sentAttrs)) {
            entries(e, e.attrs, e.sentAttrs, Integer.MAX_VALUE, "attributes", (k, v) -> new ViewOp.SetAttribute(e.id, k, v));
            e.sentAttrs = e.attrs;
        }
        if (!e.classes.equals(e.sentClasses)) {
            if (e.classes.size() > limits.classesPerNodeMax()) {
                throw new ViewRenderException("page " + page.route + ": an element with more than " + limits.classesPerNodeMax()
                        + " classes (ViewLimits.classesPerNodeMax)");
            }
            ops.add(new ViewOp.SetClass(e.id, e.classes));
            e.sentClasses = e.classes;
        }
        if (!e.styles.equals(e.sentStyles)) {
            entries(e, e.styles, e.sentStyles, limits.stylesPerNodeMax(), "style properties (ViewLimits.stylesPerNodeMax)",
                    (k, v) -> new ViewOp.SetStyle(e.id, k, v));
            e.sentStyles = e.styles;
        }
        if (!e.dataset.equals(e.sentDataset)) {
            entries(e, e.dataset, e.sentDataset, limits.datasetPerNodeMax(), "dataset entries (ViewLimits.datasetPerNodeMax)",
                    (k, v) -> new ViewOp.SetDataset(e.id, k, v));
            e.sentDataset = e.dataset;
        }
    }

    private void entries(VNode.Elem e, Map<String, String> now, Map<String, String> sent, int max, String what,
            java.util.function.BiFunction<String, String, ViewOp> op) {
        if (now.size() > max) {
            throw new ViewRenderException("page " + page.route + ": an element with more than " + max + " " + what);
        }
        for (String gone : sent.keySet()) {
            if (!now.containsKey(gone)) {
                ops.add(op.apply(gone, null));
            }
        }
        for (Map.Entry<String, String> kv : now.entrySet()) {
            if (kv.getValue().length() > limits.attributeValueCharsMax()) {
                throw new ViewRenderException("page " + page.route + ": a value of " + kv.getKey() + " longer than "
                        + limits.attributeValueCharsMax() + " characters (ViewLimits.attributeValueCharsMax)");
            }
            if (!Objects.equals(sent.get(kv.getKey()), kv.getValue())) {
                ops.add(op.apply(kv.getKey(), kv.getValue()));
            }
        }
    }
}
