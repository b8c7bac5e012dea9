package dev.capsule.runtime.view;

import dev.capsule.runtime.view.Builtin.Attribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in components: the one table that decides which tags exist, what HTML each renders as, which
 * attributes (with which value checks) and events it has, and what differs from WeChat. {@link ViewTree}
 * checks ops against it, {@link HtmlRenderer} renders from it, the engine asks it before emitting an
 * attribute, and docs/view.md's components table is generated from {@link #markdownTable()}.
 *
 * <p>Security guarantees: an attribute not in a tag's list (or {@link #COMMON_ATTRIBUTES}) is refused;
 * no attribute is an event handler, a style, or a URL other than what {@link UrlPolicy} accepts. A tag
 * that is not built in (a custom component's host, or an unsupported WeChat component) is rendered as an
 * inert element with only the common attributes. {@code web-view} is absent by decision: it would load
 * arbitrary pages inside the host.
 */
public final class Builtins {
    /** Tag names of custom components' host elements (and of unsupported components, rendered inert). */
    public static final Pattern CUSTOM_TAG = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    /** The page root's tag ({@link ViewNodeId#ROOT}). */
    public static final String PAGE_TAG = "page";
    /**
     * The prefix of {@link #typeClass}: Capsule's reserved class prefix (the WXSS compiler's
     * {@code StyleSet.RESERVED_CLASS_PREFIX}), which guest class tokens may not use, so a guest cannot
     * make an element look like another component to the stylesheet.
     */
    public static final String TYPE_CLASS_PREFIX = "_capsule-";
    /** Events every element emits (WeChat's common events). */
    public static final List<String> COMMON_EVENTS = List.of("touchstart", "touchmove", "touchcancel", "touchend", "tap",
            "longpress", "longtap", "transitionend", "animationstart", "animationiteration", "animationend", "touchforcechange");
    /** Attributes every element accepts, built in or not. */
    public static final Map<String, Attribute> COMMON_ATTRIBUTES = Builtin.byName(List.of(
            text("id"), bool("hidden"), text("aria-label"), oneOf("aria-role", "button", "link", "img", "text", "heading", "list", "listitem",
                    "checkbox", "radio", "switch", "tab", "tablist", "dialog", "none")));
    /** Tags that are never built in, and why. */
    public static final Map<String, String> ABSENT = Map.of(
            "web-view", "it would load arbitrary web pages inside the host");

    private static final Map<String, Builtin> TABLE = table();

    private Builtins() {}

    public static boolean isBuiltin(String tag) {
        return TABLE.containsKey(tag);
    }

    public static Optional<Builtin> builtin(String tag) {
        return Optional.ofNullable(TABLE.get(tag));
    }

    /** Every built-in, in the order of docs/view.md's table. */
    public static Collection<Builtin> all() {
        return TABLE.values();
    }

    /**
     * Why {@code name=value} is refused on an element with {@code tag}, or empty when it is accepted. The
     * engine calls it before emitting {@link ViewOp.SetAttribute} (and drops a refused attribute; the pack
     * warns); {@link ViewTree#apply} calls it again and refuses the batch.
     */
    public static Optional<String> checkAttribute(String tag, String name, String value, UrlPolicy urls) {
        Optional<Attribute> rule = attribute(tag, name);
        if (rule.isEmpty()) {
            return Optional.of("attribute " + ViewOpException.quote(name) + " is not allowed on <" + tag + ">");
        }
        return rule.get().kind().check(value, rule.get().choices(), urls)
                .map(why -> "attribute " + name + " of <" + tag + "> " + why + ", got " + ViewOpException.quote(value));
    }

    /** The rule for an attribute of a tag (built in, custom or rich-text), if the attribute is allowed. */
    public static Optional<Attribute> attribute(String tag, String name) {
        Builtin builtin = TABLE.get(tag);
        if (builtin != null) {
            return builtin.attribute(name);
        }
        if (RichTextSanitizer.isRichTextTag(tag)) {
            return RichTextSanitizer.attribute(RichTextSanitizer.htmlName(tag), name);
        }
        return Optional.ofNullable(COMMON_ATTRIBUTES.get(name));
    }

    /** Whether an element with {@code tag} can emit {@code event} (common events, or the built-in's own). */
    public static boolean emits(String tag, String event) {
        if (COMMON_EVENTS.contains(event)) {
            return true;
        }
        Builtin builtin = TABLE.get(tag);
        return builtin != null && builtin.events().contains(event);
    }

    /**
     * The class every rendered element of {@code tag} carries ({@code _capsule-view}; the page root's is
     * {@code _capsule-page}), so that WXSS type selectors ({@code view}, {@code button}, {@code page})
     * compile to a class selector whatever HTML element the component renders as.
     */
    public static String typeClass(String tag) {
        return TYPE_CLASS_PREFIX + tag;
    }

    /** docs/view.md's components table. */
    public static String markdownTable() {
        var out = new StringBuilder("| component | HTML | attributes | events | differences |\n|---|---|---|---|---|\n");
        for (Builtin b : TABLE.values()) {
            out.append("| `").append(b.tag()).append("` | `").append(b.element()).append("` | ")
                    .append(b.attributes().isEmpty() ? "common only" : String.join(", ", b.attributes().stream().map(Attribute::describe).toList()))
                    .append(" | ").append(b.events().isEmpty() ? "common only" : String.join(", ", b.events()))
                    .append(" | ").append(b.differences().isEmpty() ? "none known" : b.differences()).append(" |\n");
        }
        out.append("\nEvery element also accepts ")
                .append(String.join(", ", COMMON_ATTRIBUTES.values().stream().map(Attribute::describe).toList()))
                .append(" and emits ").append(String.join(", ", COMMON_EVENTS)).append(".\n");
        ABSENT.forEach((tag, why) -> out.append("\n`").append(tag).append("` is absent by decision: ").append(why).append(".\n"));
        return out.toString();
    }

    private static Map<String, Builtin> table() {
        var hover = List.of(text("hover-class"), bool("hover-stop-propagation"), num("hover-start-time"), num("hover-stay-time"));
        var list = new ArrayList<Builtin>();
        list.add(new Builtin("view", "div", hover, List.of(), "`hover-*` are kept in the tree; a static render has no hover state"));
        list.add(new Builtin("text", "span", List.of(bool("user-select"), bool("selectable"), oneOf("space", "ensp", "emsp", "nbsp"), bool("decode")),
                List.of(), "`decode` decodes only `&nbsp; &lt; &gt; &amp; &apos; &ensp; &emsp;` in its text, as WeChat; the result is still text"));
        list.add(new Builtin("image", "img", List.of(image("src"), oneOf("mode", "scaleToFill", "aspectFit", "aspectFill", "widthFix", "heightFix",
                "top", "bottom", "center", "left", "right", "top left", "top right", "bottom left", "bottom right"),
                bool("webp"), bool("lazy-load"), bool("show-menu-by-longpress"), bool("fade-in")),
                List.of("load", "error"), "package images are inlined as `data:` URIs; `https://` images (allowlisted hosts only) are not fetched by the renderer and render without a source; `mode` is CSS `object-fit`/`object-position`"));
        list.add(new Builtin("button", "button", List.of(oneOf("size", "default", "mini"), oneOf("type", "primary", "default", "warn"), bool("plain"),
                bool("disabled"), bool("loading"), oneOf("form-type", "submit", "reset"), oneOf("open-type", "getUserInfo", "openSetting"),
                text("hover-class"), bool("hover-stop-propagation"), num("hover-start-time"), num("hover-stay-time"), text("lang")),
                List.of("getuserinfo", "opensetting", "error"),
                "`open-type` only where Capsule has the API (`getUserInfo`, `openSetting`); contact, share, getPhoneNumber, chooseAvatar, launchApp, feedback are refused; renders as `type=\"button\"` (the host submits forms, not the browser)"));
        var inputCommon = List.of(text("value"), text("placeholder"), text("placeholder-style"), text("placeholder-class"), bool("disabled"),
                num("maxlength"), num("cursor-spacing"), bool("auto-focus"), bool("focus"), bool("confirm-hold"), num("cursor"),
                num("selection-start"), num("selection-end"), bool("adjust-position"), bool("hold-keyboard"), bool("always-embed"));
        list.add(new Builtin("input", "input", concat(inputCommon, List.of(oneOf("type", "text", "number", "idcard", "digit", "safe-password", "nickname"),
                bool("password"), oneOf("confirm-type", "send", "search", "next", "go", "done"))),
                List.of("input", "focus", "blur", "confirm", "keyboardheightchange", "nicknamereview"),
                "`placeholder-style`/`placeholder-class` are kept in the tree, not rendered; the static render is read-only"));
        list.add(new Builtin("textarea", "textarea", concat(inputCommon, List.of(bool("auto-height"), bool("fixed"), bool("show-confirm-bar"),
                bool("disable-default-padding"), oneOf("confirm-type", "send", "search", "next", "go", "done", "return"))),
                List.of("input", "focus", "blur", "confirm", "linechange", "keyboardheightchange"),
                "`value` renders as the element's text; the static render is read-only"));
        list.add(new Builtin("label", "label", List.of(text("for")), List.of(), "`for` names a component id; taps are routed by the host"));
        list.add(new Builtin("form", "div", List.of(bool("report-submit"), num("report-submit-timeout")), List.of("submit", "reset"),
                "rendered as `div role=\"form\"` without an action: the host collects values and emits submit/reset"));
        var check = List.of(text("value"), bool("checked"), bool("disabled"), color("color"));
        list.add(new Builtin("checkbox", "span", check, List.of(), "`role=\"checkbox\"` with `aria-checked`"));
        list.add(new Builtin("checkbox-group", "div", List.of(), List.of("change"), "`role=\"group\"`"));
        list.add(new Builtin("radio", "span", check, List.of(), "`role=\"radio\"` with `aria-checked`"));
        list.add(new Builtin("radio-group", "div", List.of(), List.of("change"), "`role=\"radiogroup\"`"));
        list.add(new Builtin("switch", "span", List.of(bool("checked"), bool("disabled"), oneOf("type", "switch", "checkbox"), color("color")),
                List.of("change"), "`role=\"switch\"` with `aria-checked`"));
        list.add(new Builtin("slider", "input", List.of(num("min"), num("max"), num("step"), bool("disabled"), num("value"), color("color"),
                color("selected-color"), color("activeColor"), color("backgroundColor"), num("block-size"), color("block-color"), bool("show-value")),
                List.of("change", "changing"), "`input type=\"range\"`; colors are kept in the tree, not rendered"));
        list.add(new Builtin("picker", "div", List.of(oneOf("mode", "selector", "multiSelector", "time", "date", "region"), bool("disabled"),
                json("range"), text("range-key"), json("value"), text("start"), text("end"), oneOf("fields", "year", "month", "day"),
                text("custom-item"), text("header-text"), oneOf("level", "province", "city", "region", "sub-district")),
                List.of("change", "cancel", "columnchange"),
                "`range` and `value` are JSON text (the engine serializes arrays); the picker itself is host UI, the render shows only the trigger children"));
        list.add(new Builtin("picker-view", "div", List.of(json("value"), text("indicator-style"), text("indicator-class"), text("mask-style"),
                text("mask-class"), bool("immediate-change")), List.of("change", "pickstart", "pickend"), "columns render as plain lists"));
        list.add(new Builtin("picker-view-column", "div", List.of(), List.of(), ""));
        list.add(new Builtin("navigator", "a", concat(List.of(page("url"), oneOf("open-type", "navigate", "redirect", "switchTab", "reLaunch", "navigateBack"),
                num("delta"), oneOf("target", "self")), hover), List.of("success", "fail", "complete"),
                "renders as `a` without `href` (navigation goes through the host); `target=\"miniProgram\"` and `open-type=\"exit\"` are refused"));
        list.add(new Builtin("scroll-view", "div", List.of(bool("scroll-x"), bool("scroll-y"), num("upper-threshold"), num("lower-threshold"),
                num("scroll-top"), num("scroll-left"), text("scroll-into-view"), bool("scroll-with-animation"), bool("enable-back-to-top"),
                bool("enable-flex"), bool("scroll-anchoring"), bool("refresher-enabled"), num("refresher-threshold"),
                oneOf("refresher-default-style", "black", "white", "none"), color("refresher-background"), bool("refresher-triggered"),
                bool("show-scrollbar"), bool("enhanced"), bool("bounces"), bool("paging-enabled"), bool("fast-deceleration"), oneOf("type", "list", "custom")),
                List.of("scroll", "scrolltoupper", "scrolltolower", "refresherpulling", "refresherrefresh", "refresherrestore", "refresherabort",
                        "dragstart", "dragging", "dragend"),
                "`scroll-x`/`scroll-y` render as CSS `overflow`; scroll positions and the refresher are the host's"));
        list.add(new Builtin("swiper", "div", List.of(bool("indicator-dots"), color("indicator-color"), color("indicator-active-color"), bool("autoplay"),
                num("current"), num("interval"), num("duration"), bool("circular"), bool("vertical"), length("previous-margin"), length("next-margin"),
                bool("snap-to-edge"), num("display-multiple-items"), oneOf("easing-function", "default", "linear", "easeInCubic", "easeOutCubic", "easeInOutCubic"),
                text("current-item-id")), List.of("change", "transition", "animationfinish"),
                "a static render shows the items side by side in a scrollable row; autoplay is the host's"));
        list.add(new Builtin("swiper-item", "div", List.of(text("item-id"), bool("skip-hidden-item-layout")), List.of(), ""));
        list.add(new Builtin("icon", "i", List.of(oneOf("type", "success", "success_no_circle", "info", "warn", "waiting", "cancel", "download", "search", "clear"),
                num("size"), color("color")), List.of(), "`role=\"img\"` labelled with its type; the glyph is text, not WeChat's icon font"));
        list.add(new Builtin("progress", "progress", List.of(num("percent"), bool("show-info"), num("border-radius"), num("font-size"), num("stroke-width"),
                color("color"), color("activeColor"), color("backgroundColor"), bool("active"), oneOf("active-mode", "backwards", "forwards"), num("duration")),
                List.of("activeend"), "HTML `progress` (max 100); colors are kept in the tree, not rendered"));
        list.add(new Builtin("rich-text", "div", List.of(oneOf("space", "ensp", "emsp", "nbsp"), bool("user-select")), List.of(),
                "`nodes` is not an attribute: the engine passes it through `RichTextSanitizer` and inserts the allowlisted `rich-text:*` elements and text as children; never markup"));
        list.add(new Builtin("movable-area", "div", List.of(bool("scale-area")), List.of(), "basic: no dragging in a static render"));
        list.add(new Builtin("movable-view", "div", List.of(oneOf("direction", "all", "vertical", "horizontal", "none"), bool("inertia"), bool("out-of-bounds"),
                num("x"), num("y"), num("damping"), num("friction"), bool("disabled"), bool("scale"), num("scale-min"), num("scale-max"), num("scale-value"),
                bool("animation")), List.of("change", "scale", "htouchmove", "vtouchmove"), "basic: `x`/`y` render as a CSS translate"));
        list.add(new Builtin("cover-view", "div", List.of(num("scroll-top")), List.of(), "an ordinary element (no native layer to cover)"));
        list.add(new Builtin("cover-image", "img", List.of(image("src")), List.of("load", "error"), "as `image` without `mode`"));
        var map = new LinkedHashMap<String, Builtin>();
        list.forEach(b -> map.put(b.tag(), b));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        var out = new ArrayList<T>(a);
        out.addAll(b);
        return out;
    }

    static Attribute bool(String name) {
        return new Attribute(name, ValueKind.BOOLEAN, List.of());
    }

    static Attribute num(String name) {
        return new Attribute(name, ValueKind.NUMBER, List.of());
    }

    static Attribute text(String name) {
        return new Attribute(name, ValueKind.TEXT, List.of());
    }

    static Attribute color(String name) {
        return new Attribute(name, ValueKind.COLOR, List.of());
    }

    static Attribute image(String name) {
        return new Attribute(name, ValueKind.IMAGE, List.of());
    }

    static Attribute length(String name) {
        return new Attribute(name, ValueKind.LENGTH, List.of());
    }

    static Attribute page(String name) {
        return new Attribute(name, ValueKind.PAGE_PATH, List.of());
    }

    static Attribute json(String name) {
        return new Attribute(name, ValueKind.JSON, List.of());
    }

    static Attribute oneOf(String name, String... choices) {
        return new Attribute(name, ValueKind.ENUM, List.of(choices));
    }
}
