package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.Scope;
import dev.capsule.runtime.view.wxml.WxsCaller;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * What a template expression sees: an instance's data (pure data fields hidden), the WXS modules of the
 * file the expression is in (a module's name shadows a data field, as glass-easel scopes them), and
 * {@code wx:for} names layered on top of both.
 */
final class DataScope implements Scope {
    private final DataScope parent;
    private final JsonNode data;
    private final Map<String, JsonNode> names;
    private final Pattern hidden;
    private final WxsCaller wxs;

    private DataScope(DataScope parent, JsonNode data, Map<String, JsonNode> names, Pattern hidden, WxsCaller wxs) {
        this.parent = parent;
        this.data = data;
        this.names = names;
        this.hidden = hidden;
        this.wxs = wxs;
    }

    /** A root scope over {@code data}'s properties; names matching {@code hidden} (may be null) are undefined. */
    static DataScope root(JsonNode data, Pattern hidden, WxsCaller wxs) {
        return new DataScope(null, data, null, hidden, wxs);
    }

    @Override
    public JsonNode lookup(String name) {
        for (DataScope s = this; s != null; s = s.parent) {
            if (s.names != null) {
                JsonNode v = s.names.get(name);
                if (v != null) {
                    return v;
                }
            } else {
                // the root: the file's WXS modules, then data (pure data fields hidden)
                JsonNode module = s.wxs.exports(name);
                if (module != null && !module.isMissingNode()) {
                    return module;
                }
                if (s.hidden != null && s.hidden.matcher(name).find()) {
                    return MissingNode.getInstance();
                }
                JsonNode v = s.data != null && s.data.isObject() ? s.data.get(name) : null;
                return v == null ? MissingNode.getInstance() : v;
            }
        }
        return MissingNode.getInstance();
    }

    @Override
    public WxsCaller wxs() {
        return wxs;
    }

    @Override
    public DataScope with(Map<String, JsonNode> more) {
        return new DataScope(this, null, Map.copyOf(more), null, wxs);
    }
}
