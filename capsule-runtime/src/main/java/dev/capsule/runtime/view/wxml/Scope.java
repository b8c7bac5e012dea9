package dev.capsule.runtime.view.wxml;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a template expression can see: names (page or component data, {@code wx:for} item and index,
 * template {@code data}) and the WXS modules of the file, through {@link #wxs()}.
 */
public interface Scope {
    /** The value of a top-level name, or {@code MissingNode} (undefined) when there is none. */
    JsonNode lookup(String name);

    /** Runs WXS calls for this scope. */
    WxsCaller wxs();

    /** A root scope over an object's properties (a non-object has none). */
    static Scope of(JsonNode data, WxsCaller wxs) {
        throw new UnsupportedOperationException("API only");
    }

    /** A child scope: {@code names} shadow this scope's (how {@code wx:for} brings item and index in). */
    default Scope with(Map<String, JsonNode> names) {
        throw new UnsupportedOperationException("API only");
    }
}
