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
 * {@code descendant} relation back). Enclosing means up the template tree the host is in, then the
 * owner, and so on: a host's place never changes, so links form when an instance is created and end
 * when either side is removed.
 */
final class Relations {
    /** instance → its relation key → linked instances, in link order. */
    private final Map<Instance, Map<String, List<Instance>>> links = new IdentityHashMap<>();

    List<InstanceId> nodes(Instance i, String key) {
        return links.getOrDefault(i, Map.of()).getOrDefault(key, List.of()).stream().map(x -> x.id).toList();
    }

    void update(List<Instance> born, ComponentHost host) {
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
                for (Instance up = enclosing(child); up != null; up = enclosing(up)) {
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

    /** The nearest component enclosing an instance's host (null at the page). */
    static Instance enclosing(Instance i) {
        if (i.host == null) {
            return null;
        }
        for (VNode n = i.host.parent; n != null; n = n.parent) {
            if (n instanceof VNode.Elem e && e.component != null) {
                return e.component;
            }
        }
        Instance owner = i.owner();
        return owner == null || owner.isPage() ? null : owner;
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
