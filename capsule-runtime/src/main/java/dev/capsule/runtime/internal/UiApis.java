package dev.capsule.runtime.internal;

import dev.capsule.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Host UI: rendered by the host, outside the mini-program's view; each is reported as a ui event. */
final class UiApis {
    /** Longest title or content text shown; WeChat truncates far earlier. */
    static final int TEXT_CHARS_MAX = 1000;
    static final int ACTION_SHEET_ITEMS_MAX = 6;

    private UiApis() {}

    private static String text(JsonNode args, String field, String fallback) {
        String v = Json.text(args, field);
        if (v == null) {
            return fallback;
        }
        return v.length() > TEXT_CHARS_MAX ? v.substring(0, TEXT_CHARS_MAX) : v;
    }

    private static void ui(ApiContext s, String kind, ObjectNode json) {
        s.emit(new RuntimeEvent.Ui(kind, Json.write(json)));
    }

    static ApiOutcome showToast(ApiContext s, JsonNode args) {
        String title = text(args, "title", null);
        if (title == null) {
            return ApiOutcome.fail("parameter error: title must be a string");
        }
        ui(s, "showToast", Json.object().put("title", title).put("icon", text(args, "icon", "success")));
        return new ApiOutcome.Ok(Json.object());
    }

    static ApiOutcome showLoading(ApiContext s, JsonNode args) {
        String title = text(args, "title", null);
        if (title == null) {
            return ApiOutcome.fail("parameter error: title must be a string");
        }
        ui(s, "showLoading", Json.object().put("title", title));
        return new ApiOutcome.Ok(Json.object());
    }

    static ApiOutcome hideLoading(ApiContext s, JsonNode args) {
        ui(s, "hideLoading", Json.object());
        return new ApiOutcome.Ok(Json.object());
    }

    static ApiOutcome showModal(ApiContext s, JsonNode args) {
        String title = text(args, "title", "");
        String content = text(args, "content", "");
        JsonNode cancel = args.get("showCancel");
        boolean showCancel = cancel == null || !cancel.isBoolean() || cancel.booleanValue();
        boolean confirmed = s.hostCall(() -> s.services().ui().showModal(s.manifest().id(), title, content, showCancel)) || !showCancel;
        ui(s, "showModal", Json.object().put("title", title).put("content", content).put("confirm", confirmed));
        return new ApiOutcome.Ok(Json.object().put("confirm", confirmed).put("cancel", !confirmed));
    }

    static ApiOutcome showActionSheet(ApiContext s, JsonNode args) {
        JsonNode list = args.get("itemList");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > ACTION_SHEET_ITEMS_MAX) {
            return ApiOutcome.fail("parameter error: itemList must have 1 to " + ACTION_SHEET_ITEMS_MAX + " strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isString()) {
                return ApiOutcome.fail("parameter error: itemList must have 1 to " + ACTION_SHEET_ITEMS_MAX + " strings");
            }
            items.add(item.stringValue().length() > TEXT_CHARS_MAX ? item.stringValue().substring(0, TEXT_CHARS_MAX) : item.stringValue());
        }
        int index = s.hostCall(() -> s.services().ui().showActionSheet(s.manifest().id(), items));
        ObjectNode json = Json.object().put("tapIndex", index);
        items.forEach(json.putArray("itemList")::add);
        ui(s, "showActionSheet", json);
        if (index < 0 || index >= items.size()) {
            return ApiOutcome.fail("cancel");
        }
        return new ApiOutcome.Ok(Json.object().put("tapIndex", index));
    }
}
