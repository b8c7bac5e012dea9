package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.Builtins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Event resolution as WeChat's component framework (glass-easel) does it. The path starts at the
 * target and goes up its template's element parents; a {@code composed} event also goes from a slotted
 * node through the slot it renders in (and that slot's template) back to the host, and from the top of
 * a component's template out to its host, where the target becomes the host (retargeting) and marks
 * are collected again. The capture phase (only with {@code capturePhase}) runs capture listeners from
 * the path's end to the target; the bubble phase runs the target's listeners and, for a bubbling event,
 * those of the rest of the path. {@code catch} stops both phases after its node; after a
 * {@code mut-bind} listener ran, later {@code mut-bind} listeners are skipped. Handlers run on the
 * instance whose template holds the binding.
 */
final class Events {
    /** Native events that bubble, compose and capture (WeChat's touch family); all others reach only their target. */
    static final Set<String> BUBBLING = Set.copyOf(Builtins.COMMON_EVENTS);
    private static final Set<String> TOUCH = Set.of("touchstart", "touchmove", "touchend", "touchcancel", "tap", "longpress",
            "longtap", "touchforcechange");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ComponentHost host;
    private final long timeStamp;
    private final Slots slots = new Slots();
    private final List<Step> path = new ArrayList<>();
    private boolean stopped;
    private boolean mutated;

    /** One node the event visits: the node, the target as seen from its template, the marks from that target up. */
    private record Step(VNode current, VNode target, ObjectNode mark) {
    }

    private Events(ComponentHost host, long timeStamp) {
        this.host = host;
        this.timeStamp = timeStamp;
    }

    static void dispatch(ComponentHost host, long timeStamp, VNode target, String type, JsonNode detail, boolean bubbles,
            boolean composed, boolean capturePhase) {
        Events e = new Events(host, timeStamp);
        for (VNode at = target; at != null; ) {
            at = e.walk(at, composed);
        }
        e.run(type, detail, bubbles, capturePhase);
    }

    /** The element parent in the same template (fragments skipped); null at the template's top. */
    static VNode.Elem parent(VNode n) {
        for (VNode p = n.parent; p != null; p = p.parent) {
            if (p instanceof VNode.Elem e) {
                return e;
            }
        }
        return null;
    }

    /** Adds the steps of one template level from {@code target}; returns where the next level starts (a host) or null. */
    private VNode walk(VNode target, boolean composed) {
        ObjectNode mark = marks(target);
        VNode cur = target;
        for (;;) {
            path.add(new Step(cur, target, mark));
            VNode.Elem p = parent(cur);
            if (!composed) {
                if (p == null) {
                    return null;
                }
                cur = p;
                continue;
            }
            if (p == null) {
                return cur.owner.host; // out of a component's template to its host (null at the page)
            }
            if (p.component != null) {
                VNode.Slot slot = slots.containingSlot(cur, p.component);
                if (slot == null) {
                    return null; // not rendered: the event ends here
                }
                VNode back = walk(slot, true);
                if (back == null) {
                    return null;
                }
                cur = back;
                continue;
            }
            cur = p;
        }
    }

    /** The marks of a node and its element ancestors in its template; the nearest wins. */
    private static ObjectNode marks(VNode n) {
        ObjectNode out = NODES.objectNode();
        for (VNode x = n; x != null; x = parent(x)) {
            if (x instanceof VNode.Elem e) {
                for (Map.Entry<String, JsonNode> m : e.marks.entrySet()) {
                    if (!out.has(m.getKey()) && !m.getValue().isMissingNode()) {
                        out.set(m.getKey(), m.getValue());
                    }
                }
            }
        }
        return out;
    }

    private void run(String type, JsonNode detail, boolean bubbles, boolean capturePhase) {
        if (capturePhase) {
            for (int i = path.size() - 1; i >= 0 && !stopped; i--) {
                call(path.get(i), type, detail, true);
            }
        }
        for (int i = 0; i < path.size() && !stopped; i++) {
            call(path.get(i), type, detail, false);
            if (!bubbles) {
                break;
            }
        }
    }

    private void call(Step step, String type, JsonNode detail, boolean capture) {
        if (!(step.current() instanceof VNode.Elem e)) {
            return;
        }
        boolean skipMut = mutated;
        boolean any = false;
        boolean isFinal = false;
        boolean mut = false;
        for (VNode.Listener l : e.listeners) {
            if (!l.event().equals(type) || l.capture() != capture) {
                continue;
            }
            any = true;
            isFinal |= l.isFinal();
            mut |= l.mutated();
            if (l.mutated() && skipMut) {
                continue;
            }
            if (!l.handler().isEmpty()) {
                host.handle(e.owner.id, l.handler(), event(step, type, detail));
            }
        }
        if (any && isFinal) {
            stopped = true;
        } else if (any && mut) {
            mutated = true;
        }
    }

    private ObjectNode event(Step step, String type, JsonNode detail) {
        ObjectNode ev = NODES.objectNode();
        ev.put("type", type);
        ev.put("timeStamp", timeStamp);
        ev.set("target", node(step.target()));
        ev.set("currentTarget", node(step.current()));
        ev.set("mark", step.mark().deepCopy());
        ev.set("detail", detail.deepCopy());
        if (TOUCH.contains(type)) {
            ArrayNode touches = NODES.arrayNode();
            if (detail.has("x") && detail.has("y")) {
                ObjectNode t = touches.addObject();
                t.put("identifier", 0);
                t.set("pageX", detail.get("x"));
                t.set("pageY", detail.get("y"));
                t.set("clientX", detail.get("x"));
                t.set("clientY", detail.get("y"));
            }
            boolean ended = type.equals("touchend") || type.equals("touchcancel") || type.equals("tap") || type.equals("longpress")
                    || type.equals("longtap");
            ev.set("touches", ended ? NODES.arrayNode() : touches.deepCopy());
            ev.set("changedTouches", touches);
        }
        return ev;
    }

    private static ObjectNode node(VNode n) {
        ObjectNode out = NODES.objectNode();
        if (n instanceof VNode.Elem e) {
            out.put("id", e.elementId);
            ObjectNode dataset = out.putObject("dataset");
            e.datasetValues.forEach((k, v) -> {
                if (!v.isMissingNode()) {
                    dataset.set(k, v); // undefined leaves the key out, as in JavaScript's JSON
                }
            });
        } else {
            out.put("id", "");
            out.putObject("dataset");
        }
        return out;
    }
}
