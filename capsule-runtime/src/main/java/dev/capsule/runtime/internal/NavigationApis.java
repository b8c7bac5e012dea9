package dev.capsule.runtime.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * wx navigation: only pages listed in app.json, stack depth at most the limit (10), and WeChat's
 * rules for tab pages. The navigation itself runs after the current event, as in WeChat.
 */
final class NavigationApis {
    private NavigationApis() {}

    static ApiOutcome navigateTo(Session s, JsonNode args) {
        return go(s, args, false, true, Navigator::navigateTo);
    }

    static ApiOutcome redirectTo(Session s, JsonNode args) {
        return go(s, args, false, false, Navigator::redirectTo);
    }

    static ApiOutcome switchTab(Session s, JsonNode args) {
        return go(s, args, true, false, Navigator::switchTab);
    }

    static ApiOutcome reLaunch(Session s, JsonNode args) {
        return go(s, args, null, false, Navigator::reLaunch);
    }

    static ApiOutcome navigateBack(Session s, JsonNode args) {
        JsonNode d = args.get("delta");
        int delta = d != null && d.isNumber() ? Math.max(1, d.asInt()) : 1;
        if (s.navigator.depth() <= 1) {
            return ApiOutcome.fail("cannot navigate back at first page");
        }
        return later(s, n -> {
            if (n.depth() <= 1) {
                return ApiOutcome.fail("cannot navigate back at first page");
            }
            n.navigateBack(delta);
            return new ApiOutcome.Ok(Json.object());
        });
    }

    /** @param tab true: target must be a tab page; false: must not be; null: either */
    private static ApiOutcome go(Session s, JsonNode args, Boolean tab, boolean push, BiConsumer<Navigator, Navigator.Target> action) {
        String url = Json.text(args, "url");
        if (url == null || url.isEmpty()) {
            return ApiOutcome.fail("parameter error: url must be a string");
        }
        if (Navigator.isPlugin(url)) {
            return ApiOutcome.fail(Navigator.pluginRefusal(url));
        }
        Navigator.Target target = s.navigator.resolve(url);
        if (target == null) {
            return ApiOutcome.denied("page \"" + url + "\" is not found in app.json");
        }
        boolean isTab = s.navigator.isTab(target.route());
        if (tab != null && tab && !isTab) {
            return ApiOutcome.fail("can not switch to a non-tabbar page");
        }
        if (tab != null && !tab && isTab) {
            return ApiOutcome.fail("can not navigate to a tabbar page");
        }
        if (push && s.navigator.depth() >= s.limits.pageStackDepthMax()) {
            return ApiOutcome.denied("page stack limit exceeded (at most " + s.limits.pageStackDepthMax() + ")");
        }
        return later(s, n -> {
            // Checked again when the navigation runs: several calls queued in one event must not
            // together push the stack past its limit.
            if (push && n.depth() >= s.limits.pageStackDepthMax()) {
                return ApiOutcome.denied("page stack limit exceeded (at most " + s.limits.pageStackDepthMax() + ")");
            }
            action.accept(n, target);
            return new ApiOutcome.Ok(Json.object());
        });
    }

    private static ApiOutcome later(Session s, java.util.function.Function<Navigator, ApiOutcome> action) {
        CompletableFuture<ApiOutcome> done = new CompletableFuture<>();
        boolean queued = s.submit(() -> done.complete(action.apply(s.navigator)));
        if (!queued) {
            return ApiOutcome.fail("too many pending events");
        }
        return new ApiOutcome.Later(done);
    }
}
