package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.JsValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** How a value written on a component's host reaches its declared property (WeChat's attribute naming and type rules). */
final class Properties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Properties() {
    }

    /** {@code my-prop} → {@code myProp} (attributes are written dash-case, properties declared camelCase). */
    static String camel(String attribute) {
        if (attribute.indexOf('-') < 0) {
            return attribute;
        }
        StringBuilder out = new StringBuilder(attribute.length());
        boolean upper = false;
        for (int i = 0; i < attribute.length(); i++) {
            char ch = attribute.charAt(i);
            if (ch == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    /**
     * The value a property receives: as written when it has the declared type (or one of
     * {@code optionalTypes}); otherwise converted as WeChat does (to String, Number, Boolean), or the
     * property's default when it cannot be (undefined, an object for a String, ...).
     */
    static JsonNode normalize(ComponentInfo.Property p, JsonNode v) {
        if (v.isMissingNode()) {
            return fallback(p);
        }
        if (p.type() == ComponentInfo.PropertyType.ANY || is(p.type(), v) || p.optionalTypes().stream().anyMatch(t -> is(t, v))) {
            return v;
        }
        return switch (p.type()) {
            case STRING -> v.isNull() || v.isContainer() ? fallback(p) : NODES.stringNode(JsValues.toJsString(v));
            case NUMBER -> {
                double n = v.isNull() || v.isContainer() ? Double.NaN : JsValues.toNumber(v);
                yield Double.isNaN(n) ? fallback(p) : JsValues.number(n);
            }
            case BOOLEAN -> NODES.booleanNode(JsValues.truthy(v));
            case OBJECT, ARRAY -> fallback(p);
            case ANY -> v;
        };
    }

    private static boolean is(ComponentInfo.PropertyType type, JsonNode v) {
        return switch (type) {
            case STRING -> v.isString();
            case NUMBER -> v.isNumber();
            case BOOLEAN -> v.isBoolean();
            case OBJECT -> v.isObject() || v.isArray() || v.isNull();
            case ARRAY -> v.isArray();
            case ANY -> true;
        };
    }

    /** The declared default, or WeChat's default of the type. */
    static JsonNode fallback(ComponentInfo.Property p) {
        if (!p.defaultValue().isMissingNode()) {
            return p.defaultValue();
        }
        return switch (p.type()) {
            case STRING -> NODES.stringNode("");
            case NUMBER -> NODES.numberNode(0);
            case BOOLEAN -> NODES.booleanNode(false);
            case OBJECT, ANY -> NODES.nullNode();
            case ARRAY -> NODES.arrayNode();
        };
    }
}
