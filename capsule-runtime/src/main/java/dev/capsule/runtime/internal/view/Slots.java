package dev.capsule.runtime.internal.view;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a host's light children render in which {@code <slot>} of its component: with
 * {@code multipleSlots}, a child goes to the first slot named like its {@code slot} attribute (unnamed:
 * the unnamed slot); without, every child goes to the component's first slot. A child no slot takes is
 * not rendered. Computed from the current virtual tree; one instance lives for one flush or one event.
 */
final class Slots {
    private final Map<Instance, Map<VNode.Slot, List<VNode>>> bySlot = new IdentityHashMap<>();
    private final Map<VNode, VNode.Slot> containing = new IdentityHashMap<>();

    /** The light nodes (texts, elements, forwarded slots) rendered in {@code slot}. */
    List<VNode> assigned(VNode.Slot slot) {
        return assignment(slot.owner).getOrDefault(slot, List.of());
    }

    /**
     * The slot a light child of a component host renders in, or null when none takes it. Only for
     * nodes whose element parent is a component host.
     */
    VNode.Slot containingSlot(VNode lightChild, Instance component) {
        assignment(component);
        return containing.get(lightChild);
    }

    private Map<VNode.Slot, List<VNode>> assignment(Instance component) {
        Map<VNode.Slot, List<VNode>> done = bySlot.get(component);
        if (done != null) {
            return done;
        }
        Map<VNode.Slot, List<VNode>> out = new IdentityHashMap<>();
        bySlot.put(component, out);
        if (component.host == null) {
            return out; // a page has no light children
        }
        List<VNode.Slot> slots = new ArrayList<>();
        collectSlots(component.children, slots);
        if (slots.isEmpty()) {
            return out;
        }
        List<VNode> items = new ArrayList<>();
        light(component.host.children, items);
        boolean multiple = component.info.options().multipleSlots();
        for (VNode item : items) {
            VNode.Slot target = multiple ? named(slots, item instanceof VNode.Elem e ? e.slotName : "") : slots.getFirst();
            if (target != null) {
                out.computeIfAbsent(target, k -> new ArrayList<>()).add(item);
                containing.put(item, target);
            }
        }
        return out;
    }

    private static VNode.Slot named(List<VNode.Slot> slots, String name) {
        for (VNode.Slot s : slots) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The slots of a component's own template, in order (not those inside other components' templates). */
    private static void collectSlots(List<VNode> nodes, List<VNode.Slot> out) {
        for (VNode n : nodes) {
            switch (n) {
                case VNode.Slot s -> out.add(s);
                case VNode.Elem e -> collectSlots(e.children, out);
                case VNode.Frag f -> collectSlots(f.children, out);
                case VNode.Text t -> {
                }
            }
        }
    }

    /** A host's light children as slot items: fragments opened, everything else one item. */
    static void light(List<VNode> nodes, List<VNode> out) {
        for (VNode n : nodes) {
            if (n instanceof VNode.Frag f) {
                light(f.children, out);
            } else {
                out.add(n);
            }
        }
    }
}
