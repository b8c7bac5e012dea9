package dev.capsule.runtime.view.wxml;

import tools.jackson.databind.JsonNode;

/**
 * JavaScript's value semantics over JSON values: {@code MissingNode} is {@code undefined}, numbers are
 * doubles. The one place template code converts, compares and adds values.
 */
public final class JsValues {
    private JsValues() {
    }

    /** The text WeChat renders for a value: undefined and null → "", numbers as JS {@code String(n)}, objects as JS would. */
    public static String toText(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code String(value)} (undefined → "undefined", null → "null"). */
    public static String toJsString(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code Number(value)}. */
    public static double toNumber(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code String(n)} of a number. */
    public static String numberToString(double n) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's ToBoolean. */
    public static boolean truthy(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code ==}. */
    public static boolean looseEquals(JsonNode a, JsonNode b) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code ===} (objects by identity, as JS). */
    public static boolean strictEquals(JsonNode a, JsonNode b) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's {@code typeof}. */
    public static String typeOf(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's binary {@code +}. */
    public static JsonNode add(JsonNode a, JsonNode b) {
        throw new UnsupportedOperationException("API only");
    }

    /** A JSON value of a JavaScript number (integral values as integers, so JSON prints them as JS does). */
    public static JsonNode number(double n) {
        throw new UnsupportedOperationException("API only");
    }

    /** JavaScript's ToInt32. */
    public static int toInt32(JsonNode value) {
        throw new UnsupportedOperationException("API only");
    }
}
