package dev.capsule.runtime;

import dev.capsule.core.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a host may dispatch to a page ({@link MiniProgramSession#dispatch}), the one rule for the runtime
 * and for {@code capsule run --events} (which checks a script before it runs):
 * <ul>
 *   <li><b>page events</b> the view raises with WeChat's own argument ({@link #PAGE_EVENTS}):
 *       {@code onPageScroll({scrollTop})}, {@code onResize({size: {windowWidth, windowHeight}, deviceOrientation?})},
 *       {@code onTabItemTap({index, pagePath, text})}, {@code onPullDownRefresh()}, {@code onReachBottom()}.
 *       The event given must have exactly that shape; the handler gets the checked values, re-serialized;</li>
 *   <li><b>refused</b>: lifecycle hooks the runtime alone runs (onLoad, onShow, onReady, onHide, onUnload, …),
 *       the share hooks, inert until a host shares ({@code onShareAppMessage}, {@code onShareTimeline},
 *       {@code onAddToFavorites}), and the framework's own {@code setData};</li>
 *   <li>any other name is a view event handler and gets {@code {type, timeStamp, detail, target, currentTarget}}.</li>
 * </ul>
 *
 * <p>Security guarantees: a host's dispatch can never run a lifecycle hook out of order or a share hook,
 * and a page event's handler receives only the checked fields.
 */
public final class PageEvents {
    /** Largest event text a dispatch may carry. */
    public static final int EVENT_BYTES_MAX = 64 * 1024;
    /** Largest scroll offset or window dimension, in CSS pixels. */
    public static final int LENGTH_PX_MAX = 1_000_000;
    /** WeChat's tab bar has at most 5 items. */
    public static final int TAB_ITEMS_MAX = 5;
    /** Longest tab item text, in characters (the tab bar's own limit is far lower on screen). */
    public static final int TAB_TEXT_CHARS_MAX = 64;
    /** Longest tab page path, in characters. */
    public static final int PAGE_PATH_CHARS_MAX = LaunchOptions.PATH_CHARS_MAX;

    /** The page events and what each is (kept for messages and docs). */
    public static final Map<String, String> PAGE_EVENTS = Map.of(
            "onPageScroll", "{scrollTop}",
            "onResize", "{size: {windowWidth, windowHeight}, deviceOrientation?}",
            "onTabItemTap", "{index, pagePath, text}",
            "onPullDownRefresh", "no argument",
            "onReachBottom", "no argument");

    /** Hooks a dispatch may never run, with the reason given. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            lifecycle("onLoad"), lifecycle("onShow"), lifecycle("onReady"), lifecycle("onHide"), lifecycle("onUnload"),
            lifecycle("onRouteDone"), lifecycle("onSaveExitState"),
            share("onShareAppMessage"), share("onShareTimeline"), share("onAddToFavorites"),
            Map.entry("setData", "setData is the framework's, not an event handler"));

    private static Map.Entry<String, String> lifecycle(String name) {
        return Map.entry(name, name + " is a lifecycle hook the runtime runs; it is never dispatched");
    }

    private static Map.Entry<String, String> share(String name) {
        return Map.entry(name, name + " runs only when a host shares the page; Capsule has no share sheet, so it is never dispatched");
    }

    private PageEvents() {}

    /**
     * A dispatch that passed the rules.
     *
     * @param pageEvent true for a page event ({@link #PAGE_EVENTS}), false for a view event handler
     * @param argumentJson a page event's checked argument (null: called with none); a handler's event as given
     */
    public record Checked(String handler, boolean pageEvent, String argumentJson) {
        public Checked {
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * Checks a dispatch of {@code handler} with {@code eventJson} (null or blank: {@code {}}).
     *
     * @throws IllegalArgumentException one line saying what is wrong
     */
    public static Checked check(String handler, String eventJson) {
        Objects.requireNonNull(handler, "handler");
        String refusal = REFUSED.get(handler);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        String text = eventJson == null || eventJson.isBlank() ? "{}" : eventJson;
        if (text.getBytes(StandardCharsets.UTF_8).length > EVENT_BYTES_MAX) {
            throw new IllegalArgumentException("event for " + handler + " is larger than " + EVENT_BYTES_MAX + " bytes");
        }
        JsonNode event;
        try {
            event = StrictJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("event for " + handler + " is not valid JSON");
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("event for " + handler + " must be a JSON object");
        }
        if (!PAGE_EVENTS.containsKey(handler)) {
            return new Checked(handler, false, text);
        }
        ObjectNode out = StrictJson.mapper().createObjectNode();
        switch (handler) {
            case "onPageScroll" -> {
                fields(handler, event, Set.of("scrollTop"), Set.of("scrollTop"));
                out.set("scrollTop", length(handler, "scrollTop", event.get("scrollTop"), true));
            }
            case "onResize" -> {
                fields(handler, event, Set.of("size"), Set.of("size", "deviceOrientation"));
                JsonNode size = event.get("size");
                if (!size.isObject()) {
                    throw new IllegalArgumentException("event for onResize: size must be an object");
                }
                fields(handler, size, Set.of("windowWidth", "windowHeight"), Set.of("windowWidth", "windowHeight", "screenWidth", "screenHeight"));
                ObjectNode checked = out.putObject("size");
                for (String f : new String[] {"windowWidth", "windowHeight", "screenWidth", "screenHeight"}) {
                    if (size.has(f)) {
                        checked.set(f, length(handler, "size." + f, size.get(f), false));
                    }
                }
                if (event.has("deviceOrientation")) {
                    JsonNode o = event.get("deviceOrientation");
                    if (!o.isString() || !(o.stringValue().equals("portrait") || o.stringValue().equals("landscape"))) {
                        throw new IllegalArgumentException("event for onResize: deviceOrientation must be \"portrait\" or \"landscape\"");
                    }
                    out.put("deviceOrientation", o.stringValue());
                }
            }
            case "onTabItemTap" -> {
                fields(handler, event, Set.of("index", "pagePath", "text"), Set.of("index", "pagePath", "text"));
                JsonNode index = event.get("index");
                if (!index.isIntegralNumber() || !index.canConvertToInt() || index.intValue() < 0 || index.intValue() >= TAB_ITEMS_MAX) {
                    throw new IllegalArgumentException("event for onTabItemTap: index must be an integer from 0 to " + (TAB_ITEMS_MAX - 1));
                }
                out.put("index", index.intValue());
                out.put("pagePath", string(handler, "pagePath", event.get("pagePath"), PAGE_PATH_CHARS_MAX));
                out.put("text", string(handler, "text", event.get("text"), TAB_TEXT_CHARS_MAX));
            }
            default -> {
                // onPullDownRefresh, onReachBottom: WeChat calls them with no argument.
                fields(handler, event, Set.of(), Set.of());
                return new Checked(handler, true, null);
            }
        }
        return new Checked(handler, true, StrictJson.mapper().writeValueAsString(out));
    }

    private static void fields(String handler, JsonNode object, Set<String> required, Set<String> allowed) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("event for " + handler + ": unknown field '" + escapeName(name) + "' (" + handler + " takes "
                        + PAGE_EVENTS.get(handler) + ")");
            }
        }
        for (String name : required) {
            if (!object.has(name)) {
                throw new IllegalArgumentException("event for " + handler + ": missing field '" + name + "' (" + handler + " takes "
                        + PAGE_EVENTS.get(handler) + ")");
            }
        }
    }

    private static JsonNode length(String handler, String field, JsonNode value, boolean zeroAllowed) {
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() > LENGTH_PX_MAX
                || value.doubleValue() < 0 || (!zeroAllowed && value.doubleValue() == 0)) {
            throw new IllegalArgumentException("event for " + handler + ": " + field + " must be a number " + (zeroAllowed ? "from 0" : "above 0")
                    + " to " + LENGTH_PX_MAX);
        }
        return value.isIntegralNumber() ? StrictJson.mapper().getNodeFactory().numberNode(value.longValue())
                : StrictJson.mapper().getNodeFactory().numberNode(value.doubleValue());
    }

    private static String string(String handler, String field, JsonNode value, int charsMax) {
        if (value == null || !value.isString() || value.stringValue().length() > charsMax) {
            throw new IllegalArgumentException("event for " + handler + ": " + field + " must be a string of at most " + charsMax + " characters");
        }
        return value.stringValue();
    }

    private static String escapeName(String name) {
        return dev.capsule.core.text.SafeText.escape(name.length() > 64 ? name.substring(0, 64) + "…" : name);
    }
}
