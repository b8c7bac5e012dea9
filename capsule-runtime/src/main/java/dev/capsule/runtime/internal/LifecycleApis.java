package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/**
 * The app's own lifecycle facts and scheduling: launch options and wx.nextTick. Session-local: nothing
 * here reaches the host.
 */
final class LifecycleApis {
    private LifecycleApis() {}

    /** wx.getLaunchOptionsSync, and wx.getEnterOptionsSync (the same: a Capsule session is one cold start, never re-entered). */
    static ApiOutcome launchOptions(Session s, JsonNode args) {
        return new ApiOutcome.Ok(s.launchOptionsJson());
    }

    /**
     * wx.nextTick(fn): the framework keeps fn and passes its id; fn runs as its own event, queued behind
     * the tasks already waiting, so after the current event (its promise jobs included) and before any
     * timer (the loop runs queued tasks before due timers). Bounded by the session's event queue.
     */
    static ApiOutcome nextTick(Session s, JsonNode args) {
        JsonNode id = args.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 1) {
            return ApiOutcome.fail("parameter error: callback must be a function");
        }
        int callback = id.intValue();
        if (!s.submit(() -> s.runEvent("nextTick", () -> s.framework().invokeMember("runDeferred", callback)))) {
            return ApiOutcome.fail("too many pending events");
        }
        return new ApiOutcome.Ok(Json.mapper().getNodeFactory().nullNode());
    }
}
