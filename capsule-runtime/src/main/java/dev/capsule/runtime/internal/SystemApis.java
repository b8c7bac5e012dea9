package dev.capsule.runtime.internal;

import java.security.SecureRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * System information: fixed, coarse values that describe "a Capsule device", never the real one, so
 * nothing here fingerprints the user. canIUse answers from what this session really has.
 */
final class SystemApis {
    static final int RANDOM_BYTES_MAX = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SystemApis() {}

    private static ObjectNode window() {
        return Json.object().put("pixelRatio", 2).put("screenWidth", 375).put("screenHeight", 812).put("windowWidth", 375)
                .put("windowHeight", 812).put("statusBarHeight", 20);
    }

    static ApiOutcome systemInfo(Session s, JsonNode args) {
        ObjectNode info = window();
        info.put("brand", "Capsule").put("model", "Capsule").put("system", "Capsule").put("platform", "capsule")
                .put("language", "en").put("version", "8.0.0").put("SDKVersion", "3.0.0").put("theme", "light")
                .put("fontSizeSetting", 16);
        return new ApiOutcome.Ok(info);
    }

    /**
     * The capsule button's rect, fixed like the rest of "a Capsule device" (WeChat's iPhone values for
     * the same 375-point window and 20-point status bar): apps lay out custom navigation bars from it
     * in onLoad, and a fixed rect tells nothing about the real device.
     */
    static ApiOutcome menuButton(Session s, JsonNode args) {
        return new ApiOutcome.Ok(Json.object().put("width", 87).put("height", 32).put("top", 24).put("right", 365)
                .put("bottom", 56).put("left", 278));
    }

    /**
     * The system switches of "a Capsule device", true to what a session has: no Bluetooth or Wi-Fi APIs
     * (so both off), location on exactly when this session has wx.getLocation (the user still decides
     * each call), and the fixed portrait window of {@link #window()}.
     */
    static ApiOutcome systemSetting(Session s, JsonNode args) {
        boolean location = Apis.names(s.capabilities()).contains("getLocation");
        return new ApiOutcome.Ok(Json.object().put("bluetoothEnabled", false).put("locationEnabled", location).put("wifiEnabled", false)
                .put("deviceOrientation", "portrait"));
    }

    static ApiOutcome windowInfo(Session s, JsonNode args) {
        return new ApiOutcome.Ok(window());
    }

    static ApiOutcome appBaseInfo(Session s, JsonNode args) {
        return new ApiOutcome.Ok(Json.object().put("SDKVersion", "3.0.0").put("language", "en").put("version", "8.0.0")
                .put("theme", "light").put("fontSizeSetting", 16));
    }

    static ApiOutcome deviceInfo(Session s, JsonNode args) {
        return new ApiOutcome.Ok(Json.object().put("brand", "Capsule").put("model", "Capsule").put("system", "Capsule")
                .put("platform", "capsule"));
    }

    static ApiOutcome accountInfo(Session s, JsonNode args) {
        ObjectNode mp = Json.object().put("appId", s.manifest.id()).put("version", s.manifest.version()).put("envVersion", "release");
        ObjectNode result = Json.object();
        result.set("miniProgram", mp);
        return new ApiOutcome.Ok(result);
    }

    static ApiOutcome randomValues(Session s, JsonNode args) {
        JsonNode length = args.get("length");
        if (length == null || !length.isIntegralNumber() || length.asInt() < 1 || length.asInt() > RANDOM_BYTES_MAX) {
            return ApiOutcome.fail("parameter error: length must be an integer from 1 to " + RANDOM_BYTES_MAX);
        }
        byte[] bytes = new byte[length.asInt()];
        RANDOM.nextBytes(bytes);
        ObjectNode result = Json.object();
        ArrayNode values = result.putArray("randomValues");
        for (byte b : bytes) {
            values.add(b & 0xff);
        }
        return new ApiOutcome.Ok(result);
    }

    /** "request", "wx.request" or "request.object.url": true if the API exists in this session. */
    static ApiOutcome canIUse(Session s, JsonNode args) {
        String schema = Json.text(args, "schema");
        if (schema == null) {
            return new ApiOutcome.Ok(Json.mapper().getNodeFactory().booleanNode(false));
        }
        String name = schema.startsWith("wx.") ? schema.substring(3) : schema;
        int dot = name.indexOf('.');
        String api = dot < 0 ? name : name.substring(0, dot);
        return new ApiOutcome.Ok(Json.mapper().getNodeFactory().booleanNode(Apis.names(s.capabilities()).contains(api)));
    }
}
