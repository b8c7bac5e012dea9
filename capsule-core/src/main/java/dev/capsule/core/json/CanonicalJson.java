package dev.capsule.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Canonical JSON (RFC 8785, JCS) for the values log entries hold: objects, strings, integers and booleans. Object
 * members are sorted by their names' UTF-16 code units; no whitespace; strings escaped minimally (only '"', '\\'
 * and control characters, the short forms where JSON has them). Floats, nulls and arrays are refused: entries
 * never need them, and refusing keeps exactly one byte form per entry. A {@code null} map value means "absent"
 * and is omitted.
 *
 * <p>Used for the entries of the audit log and of the release transparency log, whose leaf hashes cover these
 * exact bytes.
 *
 * <p>Security guarantees: {@link #text} is a function of the map's contents only (not of insertion order), so
 * two writers of the same fields produce the same bytes; {@link #toMap} followed by {@link #text} reproduces
 * canonical input byte for byte, which is how a reader checks that an entry is canonical.
 */
public final class CanonicalJson {
    /** Nesting depth an entry needs (the entry, a nested object such as audit's "sealed"); more is a programming error. */
    public static final int DEPTH_MAX = 4;

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of {@code object}. @throws IllegalArgumentException for a value outside the set above */
    public static byte[] bytes(Map<String, ?> object) {
        return text(object).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical text of {@code object}. @throws IllegalArgumentException for a value outside the set above */
    public static String text(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(256);
        writeObject(out, object, 0);
        return out.toString();
    }

    /**
     * The object {@code node} holds, as maps, strings, longs and booleans (the inverse of {@link #text}).
     *
     * @throws IllegalArgumentException when the node holds anything else or nests deeper than {@link #DEPTH_MAX}
     */
    public static Map<String, Object> toMap(JsonNode node) {
        return toMap(node, 0);
    }

    private static Map<String, Object> toMap(JsonNode node, int depth) {
        if (!node.isObject() || depth >= DEPTH_MAX) {
            throw new IllegalArgumentException("a log entry is a JSON object of strings, integers, booleans and objects");
        }
        Map<String, Object> map = new TreeMap<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            JsonNode value = member.getValue();
            if (value.isString()) {
                map.put(member.getKey(), value.asString());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                map.put(member.getKey(), value.asLong());
            } else if (value.isBoolean()) {
                map.put(member.getKey(), value.booleanValue());
            } else {
                map.put(member.getKey(), toMap(value, depth + 1));
            }
        }
        return map;
    }

    private static void writeObject(StringBuilder out, Map<String, ?> object, int depth) {
        if (depth >= DEPTH_MAX) {
            throw new IllegalArgumentException("log entry nested deeper than " + DEPTH_MAX);
        }
        List<String> names = new ArrayList<>(object.keySet());
        names.sort(String::compareTo); // String.compareTo orders by UTF-16 code units, as RFC 8785 3.2.3 asks
        out.append('{');
        boolean first = true;
        for (String name : names) {
            Object value = object.get(name);
            if (value == null) {
                continue; // absent fields are omitted
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, name);
            out.append(':');
            switch (value) {
                case String string -> writeString(out, string);
                case Long number -> out.append(number.longValue());
                case Integer number -> out.append(number.intValue());
                case Boolean flag -> out.append(flag.booleanValue());
                case Map<?, ?> nested -> {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> members = (Map<String, ?>) nested;
                    writeObject(out, members, depth + 1);
                }
                default -> throw new IllegalArgumentException("log entries hold strings, integers, booleans and objects, not "
                        + value.getClass().getSimpleName());
            }
        }
        out.append('}');
    }

    private static void writeString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
