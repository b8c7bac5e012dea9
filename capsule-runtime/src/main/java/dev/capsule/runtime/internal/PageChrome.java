package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.ViewOp.SetChrome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A session's page chrome as WeChat configures it: each page's navigation bar and background from
 * app.json {@code window} overridden by the page's json, and the one tab bar of app.json {@code tabBar}
 * that all tab pages share (its badges, red dots, items, style and visibility, which the tab bar APIs
 * change for the whole app). It decides {@link SetChrome} ops only; the engine sends them in the page's
 * batch ({@code ViewEngine.chrome}). Values a json file or the guest gives are checked with
 * {@link ChromeField#accepts} (the host's tree's own check) before they become an op, so a bad color in
 * app.json is a warning and never a refused batch. Loop thread only.
 */
final class PageChrome {
    /** The page json keys ({@code window} keys of app.json too) that set chrome or page behaviour. */
    static final List<String> WINDOW_KEYS = List.of("navigationBarTitleText", "navigationBarBackgroundColor", "navigationBarTextStyle",
            "navigationStyle", "backgroundColor", "backgroundTextStyle", "enablePullDownRefresh");

    /** A value of the app's tab bar state. */
    private record Key(ChromeField field, int index) {}

    private final CapsulePackage pkg;
    private final Consumer<String> warn;
    private final int valueCharsMax;
    private final JsonNode window;
    private final List<String> tabPages;
    /** Parsed page json files by route (read once per session). */
    private final Map<String, JsonNode> pageJson = new java.util.HashMap<>();
    /** The shared tab bar as it stands (app.json's, then what the APIs set), in the order it was set. */
    private final Map<Key, String> tabBar = new LinkedHashMap<>();

    PageChrome(CapsulePackage pkg, ViewLimits limits, Consumer<String> warn) {
        this.pkg = pkg;
        this.warn = warn;
        this.valueCharsMax = limits.attributeValueCharsMax();
        JsonNode app = json("app.json");
        this.window = app.path("window");
        this.tabPages = pkg.app().tabBarPages(); // checked by AppConfig: 2 to 5 main-package pages, or none
        JsonNode bar = app.path("tabBar");
        if (!tabPages.isEmpty()) {
            tabBar.put(new Key(ChromeField.TAB_BAR_VISIBLE, 0), "true");
            put(ChromeField.TAB_BAR_COLOR, 0, bar.path("color"), "app.json tabBar.color");
            put(ChromeField.TAB_BAR_SELECTED_COLOR, 0, bar.path("selectedColor"), "app.json tabBar.selectedColor");
            put(ChromeField.TAB_BAR_BACKGROUND_COLOR, 0, bar.path("backgroundColor"), "app.json tabBar.backgroundColor");
            put(ChromeField.TAB_BAR_BORDER_STYLE, 0, bar.path("borderStyle"), "app.json tabBar.borderStyle");
            for (int i = 0; i < tabPages.size(); i++) {
                JsonNode item = bar.path("list").path(i);
                put(ChromeField.TAB_BAR_ITEM_TEXT, i, item.path("text"), "app.json tabBar.list[" + i + "].text");
                put(ChromeField.TAB_BAR_ITEM_ICON, i, asset(item.path("iconPath")), "app.json tabBar.list[" + i + "].iconPath");
                put(ChromeField.TAB_BAR_ITEM_SELECTED_ICON, i, asset(item.path("selectedIconPath")),
                        "app.json tabBar.list[" + i + "].selectedIconPath");
            }
        }
    }

    private JsonNode json(String path) {
        if (!pkg.hasFile(path)) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            return Json.parse(new String(pkg.file(path), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            warn.accept(path + " is not valid JSON: its chrome settings are ignored");
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** A json icon path in the absolute form the tree accepts ("" when the package has no such file: a warning). */
    private JsonNode asset(JsonNode path) {
        if (!path.isString()) {
            return path;
        }
        String absolute = packageAsset(path.stringValue());
        return Json.mapper().getNodeFactory().stringNode(absolute == null ? "" : absolute);
    }

    /**
     * An icon path as app.json and {@code setTabBarItem} give it (package-relative {@code images/a.png}, or
     * absolute) in the absolute form the tree accepts, or null when the package has no such file.
     */
    String packageAsset(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return !p.isEmpty() && pkg.hasFile(p) ? "/" + p : null;
    }

    // ---- page chrome ------------------------------------------------------------------------------

    /** The tab item of a route, or -1 when it is not a tab page (or the app has no tab bar). */
    int tabIndex(String route) {
        return tabPages.indexOf(route);
    }

    boolean hasTabBar() {
        return !tabPages.isEmpty();
    }

    int tabItems() {
        return tabPages.size();
    }

    /** A window setting of the page: the page json's, else app.json {@code window}'s (missing when neither sets it). */
    JsonNode setting(String route, String key) {
        JsonNode page = pageJson.computeIfAbsent(route, r -> json(r + ".json")).path(key);
        return page.isMissingNode() ? window.path(key) : page;
    }

    /** Whether the page's pull-down refresh is on ({@code enablePullDownRefresh}, WeChat's default off). */
    boolean pullDownRefresh(String route) {
        JsonNode v = setting(route, "enablePullDownRefresh");
        return v.isBoolean() && v.booleanValue();
    }

    /** A page's first chrome: its navigation bar and background from app.json {@code window} and its json. */
    List<SetChrome> opened(String route) {
        List<SetChrome> ops = new ArrayList<>();
        String where = route + ".json (or app.json window)";
        op(ops, ChromeField.NAVIGATION_BAR_TITLE, 0, setting(route, "navigationBarTitleText"), where + " navigationBarTitleText");
        op(ops, ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, 0, setting(route, "navigationBarBackgroundColor"),
                where + " navigationBarBackgroundColor");
        JsonNode textStyle = setting(route, "navigationBarTextStyle");
        if (!textStyle.isMissingNode()) {
            // WeChat's text style is white or black; the chrome field holds the color it means.
            String color = switch (textStyle.asString("")) {
                case "white" -> "#ffffff";
                case "black" -> "#000000";
                default -> null;
            };
            if (color == null) {
                warn.accept(where + " navigationBarTextStyle must be white or black: ignored");
            } else {
                ops.add(new SetChrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR, color));
            }
        }
        if (setting(route, "navigationStyle").asString("default").equals("custom")) {
            ops.add(new SetChrome(ChromeField.NAVIGATION_BAR_HIDDEN, "true"));
        }
        op(ops, ChromeField.BACKGROUND_COLOR, 0, setting(route, "backgroundColor"), where + " backgroundColor");
        op(ops, ChromeField.BACKGROUND_TEXT_STYLE, 0, setting(route, "backgroundTextStyle"), where + " backgroundTextStyle");
        return ops;
    }

    /** A tab page shown (opened, or switched back to): the shared tab bar as it stands, with its item selected. */
    List<SetChrome> shown(String route) {
        int index = tabIndex(route);
        if (index < 0) {
            return List.of();
        }
        List<SetChrome> ops = new ArrayList<>();
        tabBar.forEach((k, v) -> ops.add(new SetChrome(k.field(), k.index(), v)));
        ops.add(new SetChrome(ChromeField.TAB_BAR_SELECTED, Integer.toString(index)));
        return ops;
    }

    /**
     * Changes the shared tab bar (a tab bar API); a {@code null} value clears the field.
     *
     * @return the op for the page on top, or null when the value is not of the field's kind
     */
    SetChrome tab(ChromeField field, int index, String value) {
        if (value != null && !acceptable(field, value)) {
            return null;
        }
        Key key = new Key(field, index);
        tabBar.remove(key);
        if (value != null) {
            tabBar.put(key, value);
        }
        return new SetChrome(field, index, value);
    }

    /** A tab item's text as it stands (app.json's, or what setTabBarItem set), for onTabItemTap; empty when none. */
    String tabText(int index) {
        return tabBar.getOrDefault(new Key(ChromeField.TAB_BAR_ITEM_TEXT, index), "");
    }

    /** Whether a value may be sent for the field: its kind, and the tree's length cap. */
    boolean acceptable(ChromeField field, String value) {
        return value.length() <= valueCharsMax && field.accepts(value);
    }

    private void op(List<SetChrome> ops, ChromeField field, int index, JsonNode value, String where) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        if (value.isString() && acceptable(field, value.stringValue())) {
            ops.add(new SetChrome(field, index, value.stringValue()));
        } else {
            warn.accept(where + ": " + SafeText.escape(value.toString()) + " is not a valid " + field.kind().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + ": ignored");
        }
    }

    private void put(ChromeField field, int index, JsonNode value, String where) {
        List<SetChrome> ops = new ArrayList<>();
        op(ops, field, index, value, where);
        ops.forEach(o -> tabBar.put(new Key(o.field(), o.index()), o.value()));
    }
}
