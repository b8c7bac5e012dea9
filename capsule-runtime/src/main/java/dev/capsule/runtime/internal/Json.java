package dev.capsule.runtime.internal;

import dev.capsule.core.json.StrictJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON helpers for the bridge: snapshots from the guest are parsed here, results written here. */
final class Json {
    private Json() {}

    static JsonMapper mapper() {
        return StrictJson.mapper();
    }

    static JsonNode parse(String text) {
        return mapper().readTree(text);
    }

    static ObjectNode object() {
        return mapper().createObjectNode();
    }

    static String write(JsonNode node) {
        return mapper().writeValueAsString(node);
    }

    static String quote(String text) {
        return mapper().writeValueAsString(mapper().getNodeFactory().stringNode(text));
    }

    /** The string at {@code field}, or null if absent or not a string. */
    static String text(JsonNode args, String field) {
        JsonNode v = args.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }
}
