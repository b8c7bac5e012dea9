package dev.capsule.runtime.internal;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WeChat's third-party-platform ext config ({@code wx.getExtConfig}, {@code wx.getExtConfigSync}):
 * the {@code ext} object of the package's own {@code ext.json}, when its {@code extEnable} is true;
 * otherwise an empty object, as WeChat answers. It reads only the signed package, so it runs in the
 * session. ext.json is untrusted input: the strict JSON reader (UTF-8, no duplicate keys, bounded
 * depth) and {@link #EXT_JSON_BYTES_MAX}; a malformed file is a {@code fail} naming the problem.
 */
final class ExtConfigApis {
    /** The package file WeChat's tools read the ext config from. */
    static final String FILE_NAME = "ext.json";
    /** ext.json larger than this is refused: an ext config is a few settings, not a data store. */
    static final int EXT_JSON_BYTES_MAX = 64 * 1024;

    private ExtConfigApis() {}

    static ApiOutcome extConfigSync(Session s, JsonNode args) {
        return read(s);
    }

    static ApiOutcome extConfig(Session s, JsonNode args) {
        return switch (read(s)) {
            case ApiOutcome.Ok ok -> {
                ObjectNode result = Json.object();
                result.set("extConfig", ok.value());
                yield new ApiOutcome.Ok(result);
            }
            case ApiOutcome other -> other;
        };
    }

    private static ApiOutcome read(Session s) {
        if (!s.hasFile(FILE_NAME)) {
            return new ApiOutcome.Ok(Json.object());
        }
        try {
            JsonObject root = StrictJson.parseObject(s.file(FILE_NAME), FILE_NAME, EXT_JSON_BYTES_MAX);
            if (!root.has("extEnable") || !root.requireBoolean("extEnable")) {
                return new ApiOutcome.Ok(Json.object());
            }
            JsonObject ext = root.optionalObject("ext");
            return new ApiOutcome.Ok(ext == null ? Json.object() : ext.toNode());
        } catch (JsonFormatException e) {
            return ApiOutcome.fail(e.getMessage());
        }
    }
}
