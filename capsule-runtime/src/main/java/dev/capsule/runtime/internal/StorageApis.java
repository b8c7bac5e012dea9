package dev.capsule.runtime.internal;

import dev.capsule.runtime.storage.StorageException;
import dev.capsule.runtime.storage.StorageInfo;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** wx storage APIs over the session's encrypted area; values are stored as the JSON of the guest's data. */
final class StorageApis {
    private StorageApis() {}

    private static String key(JsonNode args) {
        JsonNode key = args.get("key");
        return key != null && key.isString() && !key.stringValue().isEmpty() ? key.stringValue() : null;
    }

    static ApiOutcome set(ApiContext s, JsonNode args) {
        String key = key(args);
        if (key == null) {
            return ApiOutcome.fail("parameter error: key must be a non-empty string");
        }
        JsonNode data = args.get("data");
        try {
            s.storage().set(key, Json.write(data == null ? Json.mapper().getNodeFactory().nullNode() : data));
            return new ApiOutcome.Ok(Json.object());
        } catch (StorageException e) {
            return failure(s, "setStorage", e);
        }
    }

    static ApiOutcome get(ApiContext s, JsonNode args) {
        String key = key(args);
        if (key == null) {
            return ApiOutcome.fail("parameter error: key must be a non-empty string");
        }
        try {
            Optional<String> value = s.storage().get(key);
            if (value.isEmpty()) {
                return ApiOutcome.fail("data not found");
            }
            ObjectNode result = Json.object();
            result.set("data", Json.parse(value.get()));
            return new ApiOutcome.Ok(result);
        } catch (StorageException e) {
            return failure(s, "getStorage", e);
        }
    }

    static ApiOutcome remove(ApiContext s, JsonNode args) {
        String key = key(args);
        if (key == null) {
            return ApiOutcome.fail("parameter error: key must be a non-empty string");
        }
        try {
            s.storage().remove(key);
            return new ApiOutcome.Ok(Json.object());
        } catch (StorageException e) {
            return failure(s, "removeStorage", e);
        }
    }

    static ApiOutcome clear(ApiContext s, JsonNode args) {
        try {
            s.storage().clear();
            return new ApiOutcome.Ok(Json.object());
        } catch (StorageException e) {
            return failure(s, "clearStorage", e);
        }
    }

    static ApiOutcome info(ApiContext s, JsonNode args) {
        try {
            StorageInfo info = s.storage().info();
            ObjectNode result = Json.object();
            info.keys().forEach(result.putArray("keys")::add);
            // WeChat reports kilobytes.
            result.put("currentSize", (info.currentBytes() + 1023) / 1024);
            result.put("limitSize", info.limitBytes() / 1024);
            return new ApiOutcome.Ok(result);
        } catch (StorageException e) {
            return failure(s, "getStorageInfo", e);
        }
    }

    static ApiOutcome setSync(ApiContext s, JsonNode args) {
        return asSync(set(s, args), null);
    }

    static ApiOutcome getSync(ApiContext s, JsonNode args) {
        ApiOutcome outcome = get(s, args);
        if (outcome instanceof ApiOutcome.Fail f && f.reason().equals("data not found")) {
            return new ApiOutcome.Ok(Json.mapper().getNodeFactory().stringNode("")); // WeChat: '' for a missing key
        }
        return asSync(outcome, "data");
    }

    static ApiOutcome removeSync(ApiContext s, JsonNode args) {
        return asSync(remove(s, args), null);
    }

    static ApiOutcome clearSync(ApiContext s, JsonNode args) {
        return asSync(clear(s, args), null);
    }

    static ApiOutcome infoSync(ApiContext s, JsonNode args) {
        ApiOutcome outcome = info(s, args);
        return outcome instanceof ApiOutcome.Ok ok ? new ApiOutcome.Ok(ok.value()) : outcome;
    }

    /** A sync API returns one value (or undefined): pick it out of the async result. */
    private static ApiOutcome asSync(ApiOutcome outcome, String field) {
        if (outcome instanceof ApiOutcome.Ok ok) {
            JsonNode value = field == null ? Json.mapper().getNodeFactory().missingNode() : ok.value().get(field);
            return new ApiOutcome.Ok(value == null || value.isMissingNode() ? Json.mapper().getNodeFactory().nullNode() : value);
        }
        return outcome;
    }

    private static ApiOutcome failure(ApiContext s, String api, StorageException e) {
        return switch (e.reason()) {
            case QUOTA_EXCEEDED, VALUE_TOO_LARGE -> ApiOutcome.denied(e.getMessage()); // a limit: reported and audited
            case UNREADABLE, IO -> {
                s.audit("wx." + api, "error", e.reason().code());
                yield ApiOutcome.fail(e.getMessage());
            }
            case KEY_INVALID, VALUE_INVALID -> ApiOutcome.fail(e.getMessage());
        };
    }
}
