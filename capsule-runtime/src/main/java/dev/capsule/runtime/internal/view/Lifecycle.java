package dev.capsule.runtime.internal.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's component instances and the lifetimes a render owes them. Renders only record
 * (created, removed, moved); {@link #run} calls the guest afterwards, when the tree is consistent:
 * removed instances get DETACHED (children first) and are destroyed; created ones get ATTACHED, then
 * READY, both in creation order (parent before child); moved ones get MOVED.
 */
final class Lifecycle {
    final Map<InstanceId, Instance> instances = new HashMap<>();
    private final List<Instance> created = new ArrayList<>();
    private final List<Instance> removed = new ArrayList<>();
    private final List<Instance> moved = new ArrayList<>();

    void page(Instance page) {
        instances.put(page.id, page);
        page.page.instances.add(page);
    }

    void created(Instance i) {
        instances.put(i.id, i);
        i.page.instances.add(i);
        created.add(i);
    }

    void removed(Instance i) {
        i.removed = true;
        instances.remove(i.id);
        i.page.instances.remove(i);
        removed.add(i);
    }

    /** A keyed {@code wx:for} item changed place: the components directly in it moved. */
    void moved(VNode item) {
        switch (item) {
            case VNode.Elem e -> {
                if (e.component != null) {
                    moved.add(e.component);
                } else {
                    e.children.forEach(this::moved);
                }
            }
            case VNode.Frag f -> f.children.forEach(this::moved);
            case VNode.Text t -> {
            }
            case VNode.Slot s -> {
            }
        }
    }

    boolean pending() {
        return !created.isEmpty() || !removed.isEmpty() || !moved.isEmpty();
    }

    /** Runs what the last renders owe, in WeChat's order; the guest may dirty instances meanwhile. */
    void run(ComponentHost host, Relations relations) {
        List<Instance> gone = List.copyOf(removed);
        List<Instance> born = List.copyOf(created);
        List<Instance> shifted = List.copyOf(moved);
        removed.clear();
        created.clear();
        moved.clear();
        for (Instance i : gone) {
            relations.unlinkAll(i, host);
        }
        for (Instance i : gone) {
            if (i.attached) {
                host.lifetime(i.id, Lifetime.DETACHED);
            }
            host.destroy(i.id);
        }
        for (Instance i : born) {
            if (!i.removed) {
                i.attached = true;
                host.lifetime(i.id, Lifetime.ATTACHED);
            }
        }
        relations.update(born, host);
        for (Instance i : born) {
            if (!i.removed) {
                host.lifetime(i.id, Lifetime.READY);
            }
        }
        for (Instance i : shifted) {
            if (!i.removed && i.attached) {
                host.lifetime(i.id, Lifetime.MOVED);
                relations.moved(i, host);
            }
        }
    }
}
