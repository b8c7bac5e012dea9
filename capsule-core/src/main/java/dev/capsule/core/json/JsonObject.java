package dev.capsule.core.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A read-only view of a JSON object that knows its path, for precise error messages such as
 * {@code capsule.json: network.request[0]: must be a host name}. Unknown fields are an error.
 */
public final class JsonObject {
    private final JsonNode node;
    private final String document;
    private final String path;

    JsonObject(JsonNode node, String document, String path) {
        this.node = node;
        this.document = document;
        this.path = path;
    }

    /** The field path from the document root, empty for the root itself. */
    public String path() {
        return path;
    }

    /** Fails naming the first field (in sorted order) that is not in {@code allowed}. */
    public void rejectUnknownFields(Set<String> allowed) throws JsonFormatException {
        Set<String> unknown = new TreeSet<>(node.propertyNames());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw error("unknown field '" + unknown.iterator().next() + "' (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
    }

    /** The object's member names, in document order. */
    public List<String> fieldNames() {
        return List.copyOf(node.propertyNames());
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public String requireString(String field) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing required field '" + field + "'");
        }
        if (!value.isString()) {
            throw at(child(field), "must be a string");
        }
        return value.stringValue();
    }

    /** The integer at {@code field}, which must lie in {@code [min, max]} (no fractions, no exponents). */
    public long requireLong(String field, long min, long max) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing required field '" + field + "'");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw at(child(field), "must be an integer");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw at(child(field), "must be between " + min + " and " + max + ", not " + number);
        }
        return number;
    }

    public boolean requireBoolean(String field) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing required field '" + field + "'");
        }
        if (!value.isBoolean()) {
            throw at(child(field), "must be true or false");
        }
        return value.booleanValue();
    }

    /** Whether {@code field} is present with a JSON null. */
    public boolean isNull(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNull();
    }

    public JsonObject requireObject(String field) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing required field '" + field + "'");
        }
        return asObject(value, child(field));
    }

    /** Whether {@code field} is present with a string value (for a field WeChat allows in two shapes). */
    public boolean isString(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString();
    }

    /** A copy of this object's tree, for a document whose content is free-form data (ext.json's {@code ext}). */
    public JsonNode toNode() {
        return node.deepCopy();
    }

    /** The object at {@code field}, or null when absent. */
    public JsonObject optionalObject(String field) throws JsonFormatException {
        JsonNode value = node.get(field);
        return value == null ? null : asObject(value, child(field));
    }

    /** The array at {@code field} (empty when absent), at most {@code itemsMax} items. */
    public List<JsonNode> optionalArray(String field, int itemsMax) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null) {
            return List.of();
        }
        return array(value, child(field), itemsMax);
    }

    public List<JsonNode> requireArray(String field, int itemsMax) throws JsonFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error("missing required field '" + field + "'");
        }
        return array(value, child(field), itemsMax);
    }

    /** The strings of the array at {@code field} (empty when absent). */
    public List<String> optionalStrings(String field, int itemsMax) throws JsonFormatException {
        List<JsonNode> items = optionalArray(field, itemsMax);
        List<String> strings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isString()) {
                throw at(child(field) + "[" + i + "]", "must be a string");
            }
            strings.add(items.get(i).stringValue());
        }
        return strings;
    }

    /** Wraps the {@code index}-th element of the array at {@code field} as an object. */
    public static JsonObject element(JsonNode item, JsonObject parent, String field, int index) throws JsonFormatException {
        return parent.asObject(item, parent.child(field) + "[" + index + "]");
    }

    /** An error about this object: "capsule.json: network: message". */
    public JsonFormatException error(String message) {
        return at(path, message);
    }

    /** An error about the value at {@code fieldPath} (as built by {@link #child}) in this document. */
    public JsonFormatException at(String fieldPath, String message) {
        return new JsonFormatException(document + ": " + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + message);
    }

    public String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonObject asObject(JsonNode value, String valuePath) throws JsonFormatException {
        if (!value.isObject()) {
            throw at(valuePath, "must be an object");
        }
        return new JsonObject(value, document, valuePath);
    }

    private List<JsonNode> array(JsonNode value, String valuePath, int itemsMax) throws JsonFormatException {
        if (!value.isArray()) {
            throw at(valuePath, "must be an array");
        }
        if (value.size() > itemsMax) {
            throw at(valuePath, "more than " + itemsMax + " items");
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.forEach(items::add);
        return items;
    }
}
