package dev.capsule.runtime.internal.view;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code relations} between component instances. A link needs both sides to declare it: a
 * {@code parent} relation to the nearest enclosing component matching it, whose {@code child} relation
 * matches back (or {@code ancestor} to the nearest matching enclosing component with a
 * {@code descendant} relation back). Enclosing means up the rendered tree ({@link #enclosing}): links
 * form when an instance is created, change ({@code linkChanged}) when a keyed {@code wx:for} moves the
 * child, and end when either side is removed.
 */
final class Relations {
    /** instance → its relation key → linked instances, in link order. */
    private final Map<Instance, Map<String, List<Instance>>> links = new IdentityHashMap<>();

    List<InstanceId> nodes(Instance i, String key) {
        return links.getOrDefault(i, Map.of()).getOrDefault(key, List.of()).stream().map(x -> x.id).toList();
    }

    void update(List<Instance> born, ComponentHost host) {
        Slots slots = new Slots();
        for (Instance child : born) {
            if (child.removed || child.info == null) {
                continue;
            }
            for (ComponentInfo.Relation r : child.info.relations().values()) {
                ComponentInfo.RelationType back = switch (r.type()) {
                    case PARENT -> ComponentInfo.RelationType.CHILD;
                    case ANCESTOR -> ComponentInfo.RelationType.DESCENDANT;
                    case CHILD, DESCENDANT -> null; // linked from the other side, which is created later
                };
                if (back == null) {
                    continue;
                }
                for (Instance up = enclosing(child, slots); up != null; up = enclosing(up, slots)) {
                    if (up.info != null && r.matches(up.info)) {
                        ComponentInfo.Relation reverse = reverse(up.info, back, child.info);
                        if (reverse != null) {
                            link(up, reverse.key(), child);
                            link(child, r.key(), up);
                            host.relation(up.id, child.id, reverse.key(), RelationChange.LINKED);
                            host.relation(child.id, up.id, r.key(), RelationChange.LINKED);
                        }
                        break;
                    }
                    if (r.type() == ComponentInfo.RelationType.PARENT) {
                        break; // parent: only the nearest enclosing component
                    }
                }
            }
        }
    }

    private static ComponentInfo.Relation reverse(ComponentInfo of, ComponentInfo.RelationType type, ComponentInfo target) {
        for (ComponentInfo.Relation r : of.relations().values()) {
            if (r.type() == type && r.matches(target)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The nearest component enclosing an instance's host in the rendered (composed) tree, as glass-easel
     * links: up the template the host is in; a light child of a component host continues from the
     * {@code <slot>} it renders in (inside that component's template), and the top of a template
     * continues at its instance. Null at the page, or when no slot takes the host (not rendered).
     */
    static Instance enclosing(Instance i, Slots slots) {
        if (i.host == null) {
            return null;
        }
        VNode item = i.host; // the nearest node below cur that is not a fragment (a slot item)
        for (VNode cur = i.host; ; ) {
            VNode up = cur.parent;
            if (up == null) {
                Instance owner = cur.owner;
                return owner.isPage() ? null : owner;
            }
            if (up instanceof VNode.Elem e && e.component != null) {
                VNode.Slot slot = slots.containingSlot(item, e.component);
                if (slot == null) {
                    return null;
                }
                cur = slot; // continue inside the component's template: its own hosts enclose first
                item = slot;
                continue;
            }
            if (up instanceof VNode.Elem e && e.component == null || up instanceof VNode.Slot) {
                item = up;
            }
            cur = up;
        }
    }

    /**
     * A linked instance moved under the same parent (a keyed {@code wx:for} reordered it): each link it
     * holds to its parent or ancestor, and the reverse link, changed ({@code linkChanged} after MOVED).
     */
    void moved(Instance child, ComponentHost host) {
        Map<String, List<Instance>> mine = links.get(child);
        if (mine == null || child.info == null) {
            return;
        }
        for (Map.Entry<String, List<Instance>> e : mine.entrySet()) {
            ComponentInfo.Relation r = child.info.relations().get(e.getKey());
            if (r == null || r.type() == ComponentInfo.RelationType.CHILD || r.type() == ComponentInfo.RelationType.DESCENDANT) {
                continue; // its own children moved with it: nothing changed between them
            }
            for (Instance up : e.getValue()) {
                for (Map.Entry<String, List<Instance>> t : links.getOrDefault(up, Map.of()).entrySet()) {
                    if (t.getValue().contains(child)) {
                        host.relation(up.id, child.id, t.getKey(), RelationChange.LINK_CHANGED);
                    }
                }
                host.relation(child.id, up.id, e.getKey(), RelationChange.LINK_CHANGED);
            }
        }
    }

    private void link(Instance from, String key, Instance to) {
        links.computeIfAbsent(from, k -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(to);
    }

    void unlinkAll(Instance gone, ComponentHost host) {
        Map<String, List<Instance>> mine = links.remove(gone);
        if (mine == null) {
            return;
        }
        for (Map.Entry<String, List<Instance>> e : mine.entrySet()) {
            for (Instance other : e.getValue()) {
                Map<String, List<Instance>> theirs = links.get(other);
                if (theirs != null) {
                    for (Map.Entry<String, List<Instance>> t : theirs.entrySet()) {
                        if (t.getValue().remove(gone)) {
                            host.relation(other.id, gone.id, t.getKey(), RelationChange.UNLINKED);
                        }
                    }
                }
                host.relation(gone.id, other.id, e.getKey(), RelationChange.UNLINKED);
            }
        }
    }
}
