package dev.capsule.runtime.internal;

import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewOp.SetChrome;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code wx.pageScrollTo} and the pull-down refresh ({@code startPullDownRefresh}/{@code stopPullDownRefresh},
 * and the host's pull-down that runs the page's {@code onPullDownRefresh}): session APIs whose effect is a
 * chrome op of the page on top ({@link ChromeField#PAGE_SCROLL_TOP}/{@link ChromeField#PAGE_SCROLL_DURATION},
 * {@link ChromeField#PULL_DOWN_REFRESHING}) that a host with a real page performs. Scrolling to a
 * {@code selector} needs the element's position, which only a layout host knows: without one it fails
 * with {@link #NO_LAYOUT}, as the other layout answers do (docs/view.md, "View APIs").
 */
final class PageScrollApis {
    /** WeChat's default scroll animation, in milliseconds. */
    static final int DURATION_DEFAULT_MS = 300;
    static final String NO_LAYOUT = "needs a layout host: an element's position is known only where the page is laid out, and this "
            + "host renders without layout; scroll by scrollTop instead";
    static final String PULL_DOWN_DISABLED = "enablePullDownRefresh is not set for this page (page json or app.json window)";

    private PageScrollApis() {}

    private static ApiOutcome ok() {
        return new ApiOutcome.Ok(Json.object());
    }

    /** A number argument as a non-negative integer of at most {@link ChromeField#INTEGER_MAX}, rounded; -1 when it is not one. */
    private static int integer(JsonNode v) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
            return -1;
        }
        return (int) Math.min(Math.round(v.doubleValue()), ChromeField.INTEGER_MAX);
    }

    static ApiOutcome pageScrollTo(Session s, JsonNode args) {
        if (args.has("selector")) {
            if (Json.text(args, "selector") == null) {
                return ApiOutcome.fail("parameter error: selector must be a string");
            }
            return ApiOutcome.fail(NO_LAYOUT);
        }
        int top = integer(args.get("scrollTop"));
        if (top < 0) {
            return ApiOutcome.fail("parameter error: scrollTop must be a number of at least 0 (or give a selector)");
        }
        int duration = args.has("duration") ? integer(args.get("duration")) : DURATION_DEFAULT_MS;
        if (duration < 0) {
            return ApiOutcome.fail("parameter error: duration must be a number of at least 0");
        }
        send(s, List.of(new SetChrome(ChromeField.PAGE_SCROLL_DURATION, Integer.toString(duration)),
                new SetChrome(ChromeField.PAGE_SCROLL_TOP, Integer.toString(top))));
        return ok();
    }

    static ApiOutcome startPullDownRefresh(Session s, JsonNode args) {
        String route = s.navigator.currentRoute();
        if (route == null || !s.sessionView().chrome().pullDownRefresh(route)) {
            return ApiOutcome.fail(PULL_DOWN_DISABLED);
        }
        // As a user's pull-down: the indicator shows and the page's onPullDownRefresh runs, after this event.
        if (!s.submit(() -> s.navigator.dispatch("onPullDownRefresh", route, "{}"))) {
            return ApiOutcome.fail("too many pending events");
        }
        return ok();
    }

    static ApiOutcome stopPullDownRefresh(Session s, JsonNode args) {
        send(s, List.of(new SetChrome(ChromeField.PULL_DOWN_REFRESHING, "false")));
        return ok();
    }

    /**
     * The host's pull-down on page {@code route} (a dispatched {@code onPullDownRefresh}): refused unless the
     * page enables it; else the refresh indicator shows until {@code stopPullDownRefresh}.
     *
     * @throws IllegalArgumentException the page does not enable pull-down refresh
     */
    static void pulledDown(Session s, int page, String route) {
        if (!s.sessionView().chrome().pullDownRefresh(route)) {
            throw new IllegalArgumentException("onPullDownRefresh: " + PULL_DOWN_DISABLED);
        }
        s.sessionView().chrome(page, List.of(new SetChrome(ChromeField.PULL_DOWN_REFRESHING, "true")));
    }

    private static void send(Session s, List<SetChrome> ops) {
        int page = s.navigator.topId();
        if (page != 0) {
            s.sessionView().chrome(page, ops);
        }
    }
}
