package dev.capsule.runtime.internal;

import static dev.capsule.runtime.internal.WorkerProtocol.requireLong;

import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOp;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of view batches and view events in the worker protocol (VIEW and VIEW_EVENT frames)
 * and the size a batch costs against the session's output cap. Encoding is for trusted callers;
 * decoding what a worker sends checks each op's shape (fields, types, lengths) and builds the records
 * from parsed values; whether an op is allowed (tags, attributes, styles, caps, tree structure) is
 * the page's {@code ViewTree}'s decision, the same one in-process batches pass.
 */
final class ViewMessages {
    /** Longest string one op may carry (a text node's text is the largest; {@code ViewLimits} caps it lower). */
    static final int OP_STRING_CHARS_MAX = 1 << 20;

    private ViewMessages() {}

    static ObjectNode batch(ViewBatch batch) {
        ObjectNode o = Json.object().put("version", batch.version());
        ArrayNode ops = o.putArray("ops");
        for (ViewOp op : batch.ops()) {
            ObjectNode j = ops.addObject();
            switch (op) {
                case ViewOp.CreateElement e -> j.put("op", "createElement").put("id", e.id().value()).put("tag", e.tag());
                case ViewOp.CreateText e -> j.put("op", "createText").put("id", e.id().value()).put("text", e.text());
                case ViewOp.SetText e -> j.put("op", "setText").put("id", e.id().value()).put("text", e.text());
                case ViewOp.SetAttribute e -> j.put("op", "setAttribute").put("id", e.id().value()).put("name", e.name()).put("value", e.value());
                case ViewOp.SetClass e -> {
                    j.put("op", "setClass").put("id", e.id().value());
                    e.classes().forEach(j.putArray("classes")::add);
                }
                case ViewOp.SetStyle e -> j.put("op", "setStyle").put("id", e.id().value()).put("property", e.property()).put("value", e.value());
                case ViewOp.SetDataset e -> j.put("op", "setDataset").put("id", e.id().value()).put("key", e.key()).put("value", e.value());
                case ViewOp.Insert e -> j.put("op", "insert").put("parent", e.parent().value()).put("child", e.child().value())
                        .put("before", e.before() == null ? null : e.before().value());
                case ViewOp.Move e -> j.put("op", "move").put("parent", e.parent().value()).put("child", e.child().value())
                        .put("before", e.before() == null ? null : e.before().value());
                case ViewOp.Remove e -> j.put("op", "remove").put("id", e.id().value());
                case ViewOp.SetChrome e -> j.put("op", "setChrome").put("field", e.field().name()).put("index", e.index()).put("value", e.value());
            }
        }
        return o;
    }

    /** A worker's batch, checked for shape; the records' own checks apply too (a failing one is a violation). */
    static ViewBatch batch(JsonNode o) throws ProtocolViolation {
        JsonNode ops = o.get("ops");
        if (ops == null || !ops.isArray()) {
            throw new ProtocolViolation("field 'ops' must be an array");
        }
        long version = requireLong(o, "version");
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new ProtocolViolation("batch version out of range");
        }
        List<ViewOp> out = new ArrayList<>(ops.size());
        try {
            for (JsonNode j : ops) {
                out.add(op(j));
            }
            return new ViewBatch((int) version, out);
        } catch (RuntimeException e) {
            throw new ProtocolViolation("bad view op: " + e.getMessage());
        }
    }

    private static ViewOp op(JsonNode j) throws ProtocolViolation {
        if (!j.isObject()) {
            throw new ProtocolViolation("a view op must be an object");
        }
        String op = WorkerProtocol.requireText(j, "op", WorkerMessages.NAME_CHARS_MAX);
        return switch (op) {
            case "createElement" -> new ViewOp.CreateElement(id(j, "id"), text(j, "tag"));
            case "createText" -> new ViewOp.CreateText(id(j, "id"), text(j, "text"));
            case "setText" -> new ViewOp.SetText(id(j, "id"), text(j, "text"));
            case "setAttribute" -> new ViewOp.SetAttribute(id(j, "id"), text(j, "name"), textOrNull(j, "value"));
            case "setClass" -> {
                JsonNode classes = j.get("classes");
                List<String> tokens = new ArrayList<>();
                if (classes != null && classes.isArray()) {
                    for (JsonNode c : classes) {
                        if (!c.isString() || c.stringValue().length() > OP_STRING_CHARS_MAX) {
                            throw new ProtocolViolation("class tokens must be strings");
                        }
                        tokens.add(c.stringValue());
                    }
                } else if (classes != null) {
                    throw new ProtocolViolation("field 'classes' must be an array");
                }
                yield new ViewOp.SetClass(id(j, "id"), tokens);
            }
            case "setStyle" -> new ViewOp.SetStyle(id(j, "id"), text(j, "property"), textOrNull(j, "value"));
            case "setDataset" -> new ViewOp.SetDataset(id(j, "id"), text(j, "key"), textOrNull(j, "value"));
            case "insert" -> new ViewOp.Insert(id(j, "parent"), id(j, "child"), idOrNull(j, "before"));
            case "move" -> new ViewOp.Move(id(j, "parent"), id(j, "child"), idOrNull(j, "before"));
            case "remove" -> new ViewOp.Remove(id(j, "id"));
            case "setChrome" -> {
                String field = text(j, "field");
                ChromeField f = null;
                for (ChromeField c : ChromeField.values()) {
                    if (c.name().equals(field)) {
                        f = c;
                    }
                }
                if (f == null) {
                    throw new ProtocolViolation("unknown chrome field");
                }
                long index = requireLong(j, "index");
                if (index < 0 || index > ChromeField.TAB_BAR_ITEMS_MAX) {
                    throw new ProtocolViolation("chrome index out of range");
                }
                yield new ViewOp.SetChrome(f, (int) index, textOrNull(j, "value"));
            }
            default -> throw new ProtocolViolation("unknown view op");
        };
    }

    private static ViewNodeId id(JsonNode j, String field) throws ProtocolViolation {
        long v = requireLong(j, field);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new ProtocolViolation("field '" + field + "' is not a node id");
        }
        return new ViewNodeId((int) v);
    }

    private static ViewNodeId idOrNull(JsonNode j, String field) throws ProtocolViolation {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : id(j, field);
    }

    private static String text(JsonNode j, String field) throws ProtocolViolation {
        return WorkerProtocol.requireText(j, field, OP_STRING_CHARS_MAX);
    }

    private static String textOrNull(JsonNode j, String field) throws ProtocolViolation {
        return WorkerProtocol.optionalText(j, field, OP_STRING_CHARS_MAX);
    }

    // ---- events into the worker -----------------------------------------------------------------

    static ObjectNode event(ViewEvent event) {
        ObjectNode o = Json.object().put("target", event.target().value()).put("type", event.type());
        o.set("detail", event.detail());
        return o;
    }

    /** The host's event (trusted, still checked: a bad one is the worker's protocol error, not a crash). */
    static ViewEvent event(JsonNode o) throws ProtocolViolation {
        try {
            return new ViewEvent(id(o, "target"), WorkerProtocol.requireText(o, "type", WorkerMessages.NAME_CHARS_MAX),
                    WorkerProtocol.require(o, "detail"));
        } catch (RuntimeException e) {
            throw new ProtocolViolation("bad view event: " + e.getMessage());
        }
    }

    // ---- output cap -----------------------------------------------------------------------------

    /** What a batch costs against the session's output cap: the UTF-8 length of its strings plus a fixed cost per op. */
    static long size(ViewBatch batch) {
        long n = 0;
        for (ViewOp op : batch.ops()) {
            n += SessionOutput.EVENT_OVERHEAD_BYTES + switch (op) {
                case ViewOp.CreateElement e -> SessionOutput.utf8(e.tag());
                case ViewOp.CreateText e -> SessionOutput.utf8(e.text());
                case ViewOp.SetText e -> SessionOutput.utf8(e.text());
                case ViewOp.SetAttribute e -> SessionOutput.utf8(e.name()) + SessionOutput.utf8(e.value());
                case ViewOp.SetClass e -> e.classes().stream().mapToLong(c -> SessionOutput.utf8(c) + 1).sum();
                case ViewOp.SetStyle e -> SessionOutput.utf8(e.property()) + SessionOutput.utf8(e.value());
                case ViewOp.SetDataset e -> SessionOutput.utf8(e.key()) + SessionOutput.utf8(e.value());
                case ViewOp.Insert e -> 0L;
                case ViewOp.Move e -> 0L;
                case ViewOp.Remove e -> 0L;
                case ViewOp.SetChrome e -> SessionOutput.utf8(e.value());
            };
        }
        return n;
    }
}
