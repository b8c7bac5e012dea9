package dev.capsule.cli;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The scripted view events of {@code capsule run --events}: a JSON array of
 * {@code {"handler": "onAdd", "route": "pages/index/index", "event": {"detail": {…}, "currentTarget": {"dataset": {…}}}}},
 * or a page event with WeChat's argument ({@code {"handler": "onPageScroll", "event": {"scrollTop": 120}}}); every step
 * follows the runtime's {@link dev.capsule.runtime.PageEvents} rules (no lifecycle or share hooks).
 */
record RunScript(List<Step> steps) {
    static final int FILE_BYTES_MAX = 1024 * 1024;
    static final int STEPS_MAX = 10_000;

    record Step(String handler, String route, String eventJson) {}

    static RunScript parse(byte[] json) throws JsonFormatException {
        // The file is an array; wrap it so the strict object reader can name paths.
        byte[] wrapped = ("{\"events\":" + new String(json, java.nio.charset.StandardCharsets.UTF_8) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonObject root = StrictJson.parseObject(wrapped, "events file", FILE_BYTES_MAX + 16);
        List<JsonNode> items = root.requireArray("events", STEPS_MAX);
        List<Step> steps = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), root, "events", i);
            item.rejectUnknownFields(Set.of("handler", "route", "event"));
            String handler = item.requireString("handler");
            if (!handler.matches("[A-Za-z_$][A-Za-z0-9_$]{0,127}")) {
                throw item.at(item.child("handler"), "'" + handler + "' is not a handler name");
            }
            String route = item.has("route") ? item.requireString("route") : null;
            JsonObject event = item.optionalObject("event");
            String eventJson = event == null ? "{}" : StrictJson.mapper().writeValueAsString(items.get(i).get("event"));
            try {
                // The runtime's own dispatch rules, checked before anything runs: a refused step is a usage error.
                dev.capsule.runtime.PageEvents.check(handler, eventJson);
            } catch (IllegalArgumentException e) {
                throw item.error(e.getMessage());
            }
            steps.add(new Step(handler, route, eventJson));
        }
        return new RunScript(steps);
    }
}
