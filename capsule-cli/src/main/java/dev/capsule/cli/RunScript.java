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
 * {@code {"handler": "onAdd", "route": "pages/index/index", "event": {"detail": {…}, "currentTarget": {"dataset": {…}}}}}.
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
            steps.add(new Step(handler, route, eventJson));
        }
        return new RunScript(steps);
    }
}
