package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOp;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code view} line of {@code capsule render --ops} (docs/cli.md, "capsule render"): one batch of view
 * operations as {@code {"type":"view","route":…,"version":N,"ops":[{"op":"createElement","id":2,"tag":"view"},…]}}.
 * A stable schema: fields are only ever added.
 *
 * <p>Security guarantees: the line is re-serialized from the parsed, validated ops (every string a JSON string
 * value, never spliced text), and printed through {@link SafeJson} like every other line, so a guest's text,
 * class or attribute value cannot add a line or a field.
 */
final class ViewBatchJson {
    private ViewBatchJson() {}

    static ObjectNode toJson(String route, ViewBatch batch) {
        ObjectNode line = StrictJson.mapper().createObjectNode();
        line.put("type", "view").put("route", route).put("version", batch.version());
        ArrayNode ops = line.putArray("ops");
        batch.ops().forEach(op -> ops.add(op(op)));
        return line;
    }

    private static ObjectNode op(ViewOp op) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        switch (op) {
            case ViewOp.CreateElement e -> o.put("op", "createElement").put("id", e.id().value()).put("tag", e.tag());
            case ViewOp.CreateText e -> o.put("op", "createText").put("id", e.id().value()).put("text", e.text());
            case ViewOp.SetText e -> o.put("op", "setText").put("id", e.id().value()).put("text", e.text());
            case ViewOp.SetAttribute e -> o.put("op", "setAttribute").put("id", e.id().value()).put("name", e.name()).put("value", e.value());
            case ViewOp.SetClass e -> {
                o.put("op", "setClass").put("id", e.id().value());
                ArrayNode classes = o.putArray("classes");
                e.classes().forEach(classes::add);
            }
            case ViewOp.SetStyle e -> o.put("op", "setStyle").put("id", e.id().value()).put("property", e.property()).put("value", e.value());
            case ViewOp.SetDataset e -> o.put("op", "setDataset").put("id", e.id().value()).put("key", e.key()).put("value", e.value());
            case ViewOp.Insert e -> placement(o.put("op", "insert"), e.parent(), e.child(), e.before());
            case ViewOp.Move e -> placement(o.put("op", "move"), e.parent(), e.child(), e.before());
            case ViewOp.Remove e -> o.put("op", "remove").put("id", e.id().value());
            case ViewOp.SetChrome e -> o.put("op", "setChrome").put("field", wireName(e.field())).put("index", e.index()).put("value", e.value());
        }
        return o;
    }

    private static void placement(ObjectNode o, ViewNodeId parent, ViewNodeId child, ViewNodeId before) {
        o.put("parent", parent.value()).put("child", child.value());
        if (before == null) {
            o.putNull("before");
        } else {
            o.put("before", before.value());
        }
    }

    /** {@code NAVIGATION_BAR_TITLE} → {@code navigationBarTitle}: the enum's own name, camelCased, so a new field needs no table here. */
    static String wireName(ChromeField field) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : field.name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
