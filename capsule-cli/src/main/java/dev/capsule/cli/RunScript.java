package dev.capsule.cli;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOpException;
import dev.capsule.runtime.view.ViewSelector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scripted events of {@code --events} ({@code capsule run} and {@code capsule render}): one JSON array, each
 * step one of two kinds.
 * <ul>
 * <li>A handler call: {@code {"handler": "onAdd", "route": "pages/index/index", "event": {"detail": {…},
 * "currentTarget": {"dataset": {…}}}}}, or a page event with WeChat's argument ({@code {"handler": "onPageScroll",
 * "event": {"scrollTop": 120}}}); every such step follows the runtime's {@link dev.capsule.runtime.PageEvents}
 * rules (no lifecycle or share hooks).
 * <li>An event on an element of the current page, as a user's finger makes it: {@code {"tap": "#add"}},
 * {@code {"input": "#name", "detail": {"value": "x"}}}: the one member other than {@code detail} names the event
 * type and holds a selector, resolved on the page's view when the step runs (the first match in document order);
 * the view then resolves the element's bindings exactly as a real tap (capture, bubbling, catch, marks, dataset).
 * </ul>
 */
record RunScript(List<Step> steps) {
    static final int FILE_BYTES_MAX = 1024 * 1024;
    static final int STEPS_MAX = 10_000;

    RunScript {
        steps = List.copyOf(steps);
    }

    /** One step; {@code where} names it in errors ({@code events[2]}). */
    sealed interface Step {
        String where();
    }

    /** Calls {@code handler} on the page at {@code route} (null: the current page) with the event object {@code eventJson}. */
    record HandlerCall(String where, String handler, String route, String eventJson) implements Step {}

    /** Dispatches a {@code type} event with {@code detail} (an object) at the first element {@code selector} matches. */
    record ElementEvent(String where, String type, String selector, ObjectNode detail) implements Step {}

    static RunScript parse(byte[] json) throws JsonFormatException {
        // The file is an array; wrap it so the strict object reader can name paths.
        byte[] wrapped = ("{\"events\":" + new String(json, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
        JsonObject root = StrictJson.parseObject(wrapped, "events file", FILE_BYTES_MAX + 16);
        List<JsonNode> items = root.requireArray("events", STEPS_MAX);
        List<Step> steps = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), root, "events", i);
            steps.add(item.has("handler") ? handlerCall(item, items.get(i)) : elementEvent(item));
        }
        return new RunScript(steps);
    }

    private static HandlerCall handlerCall(JsonObject item, JsonNode node) throws JsonFormatException {
        item.rejectUnknownFields(Set.of("handler", "route", "event"));
        String handler = item.requireString("handler");
        if (!handler.matches("[A-Za-z_$][A-Za-z0-9_$]{0,127}")) {
            throw item.at(item.child("handler"), "'" + handler + "' is not a handler name");
        }
        String route = item.has("route") ? item.requireString("route") : null;
        JsonObject event = item.optionalObject("event");
        String eventJson = event == null ? "{}" : StrictJson.mapper().writeValueAsString(node.get("event"));
        try {
            // The runtime's own dispatch rules, checked before anything runs: a refused step is a usage error.
            dev.capsule.runtime.PageEvents.check(handler, eventJson);
        } catch (IllegalArgumentException e) {
            throw item.error(e.getMessage());
        }
        return new HandlerCall(item.path(), handler, route, eventJson);
    }

    private static ElementEvent elementEvent(JsonObject item) throws JsonFormatException {
        List<String> types = item.fieldNames().stream().filter(name -> !name.equals("detail")).toList();
        if (types.size() != 1) {
            throw item.error("a step is {\"handler\": …} or one event type with a selector, like {\"tap\": \"#add\"} or "
                    + "{\"input\": \"#name\", \"detail\": {\"value\": \"x\"}}; found " + (types.isEmpty() ? "no event type" : String.join(", ", types)));
        }
        String type = types.getFirst();
        String selector = item.requireString(type);
        JsonObject detailObject = item.optionalObject("detail");
        ObjectNode detail = detailObject == null ? StrictJson.mapper().createObjectNode() : (ObjectNode) detailObject.toNode().deepCopy();
        try {
            // The view's own rules, checked before anything runs: its selector grammar, and its event's shape
            // (on the root, which every page has: the real target is known only when the step's turn comes).
            ViewSelector.parse(selector);
            new ViewEvent(ViewNodeId.ROOT, type, detail);
        } catch (ViewOpException e) {
            throw item.at(item.child(type), e.getMessage());
        }
        return new ElementEvent(item.path(), type, selector, detail);
    }
}
