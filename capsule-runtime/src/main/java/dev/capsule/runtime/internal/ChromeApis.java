package dev.capsule.runtime.internal;

import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewOp.SetChrome;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The navigation bar, background and tab bar APIs: session APIs (they run beside the view engine, in
 * the worker when there is one) that check WeChat's arguments and send {@link SetChrome} ops in the
 * page's next batch through {@link PageChrome}. The host learns the chrome only from those ops (one
 * path: {@code RuntimeEvent.View}); a page without a template renders nothing, so its calls succeed
 * with nothing to show. A tab bar API on a page that is not a tab page (or in an app without
 * {@code tabBar}) fails {@code not TabBar page}, an index outside the list {@code tabbar item not found},
 * as WeChat.
 */
final class ChromeApis {
    static final String NOT_TAB_PAGE = "not TabBar page";
    static final String NO_TAB_ITEM = "tabbar item not found";

    private ChromeApis() {}

    /** An optional argument that sets one chrome field. */
    private record Arg(String name, ChromeField field, String rule) {}

    private static final List<Arg> ICONS = List.of(new Arg("iconPath", ChromeField.TAB_BAR_ITEM_ICON, "an image file of the package"),
            new Arg("selectedIconPath", ChromeField.TAB_BAR_ITEM_SELECTED_ICON, "an image file of the package"));
    private static final List<Arg> STYLE = List.of(new Arg("color", ChromeField.TAB_BAR_COLOR, "a color"),
            new Arg("selectedColor", ChromeField.TAB_BAR_SELECTED_COLOR, "a color"),
            new Arg("backgroundColor", ChromeField.TAB_BAR_BACKGROUND_COLOR, "a color"),
            new Arg("borderStyle", ChromeField.TAB_BAR_BORDER_STYLE, "black or white"));

    private static ApiOutcome ok() {
        return new ApiOutcome.Ok(Json.object());
    }

    /** Sends the ops to the page on top. */
    private static ApiOutcome send(Session s, List<SetChrome> ops) {
        int page = s.navigator.topId();
        if (page != 0) {
            s.sessionView().chrome(page, ops);
        }
        return ok();
    }

    /** A required string argument of the field's kind, or null. */
    private static String value(Session s, JsonNode args, String name, ChromeField field) {
        String v = Json.text(args, name);
        return v != null && s.sessionView().chrome().acceptable(field, v) ? v : null;
    }

    // ---- navigation bar and background -----------------------------------------------------------

    static ApiOutcome setNavigationBarTitle(Session s, JsonNode args) {
        String title = value(s, args, "title", ChromeField.NAVIGATION_BAR_TITLE);
        if (title == null) {
            return ApiOutcome.fail("parameter error: title must be a string");
        }
        return send(s, List.of(new SetChrome(ChromeField.NAVIGATION_BAR_TITLE, title)));
    }

    static ApiOutcome setNavigationBarColor(Session s, JsonNode args) {
        String front = value(s, args, "frontColor", ChromeField.NAVIGATION_BAR_FRONT_COLOR);
        if (front == null) {
            return ApiOutcome.fail("parameter error: frontColor must be #ffffff or #000000");
        }
        String background = value(s, args, "backgroundColor", ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR);
        if (background == null) {
            return ApiOutcome.fail("parameter error: backgroundColor must be a color");
        }
        return send(s, List.of(new SetChrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR, front),
                new SetChrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, background)));
    }

    static ApiOutcome showNavigationBarLoading(Session s, JsonNode args) {
        return send(s, List.of(new SetChrome(ChromeField.NAVIGATION_BAR_LOADING, "true")));
    }

    static ApiOutcome hideNavigationBarLoading(Session s, JsonNode args) {
        return send(s, List.of(new SetChrome(ChromeField.NAVIGATION_BAR_LOADING, "false")));
    }

    static ApiOutcome setBackgroundColor(Session s, JsonNode args) {
        if (!args.has("backgroundColor")) {
            return ok(); // backgroundColorTop/Bottom are iOS bounce areas a page in Capsule does not have
        }
        String color = value(s, args, "backgroundColor", ChromeField.BACKGROUND_COLOR);
        if (color == null) {
            return ApiOutcome.fail("parameter error: backgroundColor must be a color");
        }
        return send(s, List.of(new SetChrome(ChromeField.BACKGROUND_COLOR, color)));
    }

    static ApiOutcome setBackgroundTextStyle(Session s, JsonNode args) {
        String style = value(s, args, "textStyle", ChromeField.BACKGROUND_TEXT_STYLE);
        if (style == null) {
            return ApiOutcome.fail("parameter error: textStyle must be dark or light");
        }
        return send(s, List.of(new SetChrome(ChromeField.BACKGROUND_TEXT_STYLE, style)));
    }

    // ---- tab bar ----------------------------------------------------------------------------------

    /** The tab bar change, checked: fails unless the page on top is a tab page. */
    private interface TabChange {
        ApiOutcome apply(PageChrome chrome, List<SetChrome> ops);
    }

    private static ApiOutcome tab(Session s, TabChange change) {
        String route = s.navigator.currentRoute();
        PageChrome chrome = s.sessionView().chrome();
        if (route == null || chrome.tabIndex(route) < 0) {
            return ApiOutcome.fail(NOT_TAB_PAGE);
        }
        List<SetChrome> ops = new ArrayList<>();
        ApiOutcome outcome = change.apply(chrome, ops);
        if (outcome instanceof ApiOutcome.Ok) {
            send(s, ops);
        }
        return outcome;
    }

    /** The {@code index} argument: an integer naming an item of the tab bar, or -1. */
    private static int index(PageChrome chrome, JsonNode args) {
        JsonNode i = args.get("index");
        if (i == null || !i.isNumber() || i.doubleValue() != Math.rint(i.doubleValue())) {
            return -1;
        }
        double v = i.doubleValue();
        return v >= 0 && v < chrome.tabItems() ? (int) v : -1;
    }

    private static ApiOutcome item(PageChrome chrome, JsonNode args, List<SetChrome> ops, ChromeField field, String value) {
        int index = index(chrome, args);
        if (index < 0) {
            return ApiOutcome.fail(NO_TAB_ITEM);
        }
        ops.add(chrome.tab(field, index, value));
        return ok();
    }

    static ApiOutcome showTabBar(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            ops.add(chrome.tab(ChromeField.TAB_BAR_VISIBLE, 0, "true"));
            return ok();
        });
    }

    static ApiOutcome hideTabBar(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            ops.add(chrome.tab(ChromeField.TAB_BAR_VISIBLE, 0, "false"));
            return ok();
        });
    }

    static ApiOutcome setTabBarBadge(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            String text = Json.text(args, "text");
            if (text == null || !chrome.acceptable(ChromeField.TAB_BAR_ITEM_BADGE, text)) {
                return ApiOutcome.fail("parameter error: text must be a string");
            }
            ApiOutcome outcome = item(chrome, args, ops, ChromeField.TAB_BAR_ITEM_BADGE, text);
            if (outcome instanceof ApiOutcome.Ok) {
                ops.add(chrome.tab(ChromeField.TAB_BAR_ITEM_RED_DOT, index(chrome, args), null)); // a badge replaces the red dot
            }
            return outcome;
        });
    }

    static ApiOutcome removeTabBarBadge(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> item(chrome, args, ops, ChromeField.TAB_BAR_ITEM_BADGE, null));
    }

    static ApiOutcome showTabBarRedDot(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            ApiOutcome outcome = item(chrome, args, ops, ChromeField.TAB_BAR_ITEM_RED_DOT, "true");
            if (outcome instanceof ApiOutcome.Ok) {
                ops.add(chrome.tab(ChromeField.TAB_BAR_ITEM_BADGE, index(chrome, args), null)); // the red dot replaces a badge
            }
            return outcome;
        });
    }

    static ApiOutcome hideTabBarRedDot(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> item(chrome, args, ops, ChromeField.TAB_BAR_ITEM_RED_DOT, null));
    }

    static ApiOutcome setTabBarItem(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            int index = index(chrome, args);
            if (index < 0) {
                return ApiOutcome.fail(NO_TAB_ITEM);
            }
            List<SetChrome> item = new ArrayList<>();
            if (args.has("text")) {
                String text = Json.text(args, "text");
                if (text == null || !chrome.acceptable(ChromeField.TAB_BAR_ITEM_TEXT, text)) {
                    return ApiOutcome.fail("parameter error: text must be a string");
                }
                item.add(new SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, index, text));
            }
            for (Arg icon : ICONS) {
                if (args.has(icon.name())) {
                    String path = Json.text(args, icon.name());
                    String absolute = path == null ? null : chrome.packageAsset(path);
                    if (absolute == null || !chrome.acceptable(icon.field(), absolute)) {
                        return ApiOutcome.fail("parameter error: " + icon.name() + " must be " + icon.rule());
                    }
                    item.add(new SetChrome(icon.field(), index, absolute));
                }
            }
            item.forEach(o -> ops.add(chrome.tab(o.field(), o.index(), o.value())));
            return ok();
        });
    }

    static ApiOutcome setTabBarStyle(Session s, JsonNode args) {
        return tab(s, (chrome, ops) -> {
            List<SetChrome> style = new ArrayList<>();
            for (Arg a : STYLE) {
                if (args.has(a.name())) {
                    String v = Json.text(args, a.name());
                    if (v == null || !chrome.acceptable(a.field(), v)) {
                        return ApiOutcome.fail("parameter error: " + a.name() + " must be " + a.rule());
                    }
                    style.add(new SetChrome(a.field(), 0, v));
                }
            }
            style.forEach(o -> ops.add(chrome.tab(o.field(), o.index(), o.value())));
            return ok();
        });
    }
}
