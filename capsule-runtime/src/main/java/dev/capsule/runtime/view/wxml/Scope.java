package dev.capsule.runtime.view.wxml;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * What a template expression can see: names (page or component data, {@code wx:for} item and index,
 * template {@code data}) and the WXS modules of the file, through {@link #wxs()}.
 */
public interface Scope {
    /**
     * The value of a top-level name, or {@code MissingNode} (undefined) when there is none. As glass-easel scopes
     * names: {@code wx:for} item and index first, then the file's WXS modules (their exported data,
     * {@link WxsCaller#exports}), then data.
     */
    JsonNode lookup(String name);

    /** Runs WXS calls for this scope. */
    WxsCaller wxs();

    /** A root scope over an object's properties (a non-object has none). */
    static Scope of(JsonNode data, WxsCaller wxs) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(wxs, "wxs");
        return new Scope() {
            @Override
            public JsonNode lookup(String name) {
                JsonNode module = wxs.exports(name); // the file's WXS modules shadow data
                if (module != null && !module.isMissingNode()) {
                    return module;
                }
                JsonNode v = data.isObject() ? data.get(name) : null;
                return v == null ? MissingNode.getInstance() : v;
            }

            @Override
            public WxsCaller wxs() {
                return wxs;
            }
        };
    }

    /** A child scope: {@code names} shadow this scope's (how {@code wx:for} brings item and index in). */
    default Scope with(Map<String, JsonNode> names) {
        Map<String, JsonNode> own = Map.copyOf(names);
        Scope parent = this;
        return new Scope() {
            @Override
            public JsonNode lookup(String name) {
                JsonNode v = own.get(name);
                return v != null ? v : parent.lookup(name);
            }

            @Override
            public WxsCaller wxs() {
                return parent.wxs();
            }
        };
    }
}
