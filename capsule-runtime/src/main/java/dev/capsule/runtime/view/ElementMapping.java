package dev.capsule.runtime.view;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a checked view element becomes an HTML element: its name, attributes, classes, inline style and, for the
 * few components that draw their own content (an icon's glyph, a textarea's text), that content. The one mapping
 * of Capsule's two browser forms: {@link HtmlRenderer}'s static document and {@link BrowserView}'s wire for the
 * host shell, which differ only in what {@link Form} says.
 *
 * <p>Security guarantees: element names come from {@link Builtins} and {@link RichTextSanitizer} and attribute
 * names from this class's own literals or a rich-text element's attributes the {@link ViewTree} checked, all of
 * them in {@link Html}'s closed sets; values are the tree's checked values; a {@code url()} or image source is
 * what {@link Form#imageUrl} answers for a package asset (remote images are never written), or nothing.
 */
final class ElementMapping {
    private ElementMapping() {}

    /**
     * What differs between the two forms.
     *
     * @param imageUrl   a package image or stylesheet asset as the browser loads it ({@code data:} URI or same-origin path), or null to drop it
     * @param live       whether form controls are live (the shell: also the checkbox/radio values and picker data it
     *                   reads); false writes them {@code readonly} (a static document) and writes no picker data
     * @param dataset    whether guest {@code data-*} are written (the static document; the shell resolves them on the server)
     */
    record Form(Function<UrlPolicy.Target, String> imageUrl, boolean live, boolean dataset) {
        Form {
            Objects.requireNonNull(imageUrl, "imageUrl");
        }
    }

    /**
     * One mapped element.
     *
     * @param name       the HTML element name
     * @param attributes attribute name to value in the order written; a null value is a boolean attribute that is present
     * @param classes    class tokens in order (the built-in's type class first when the engine did not send it)
     * @param style      property to value in the order set (a later value of a property replaces the earlier, as in CSS)
     * @param dataset    {@code data-*} attribute name to value (empty when the form writes none)
     * @param content    text that replaces the element's children (an icon's glyph, a textarea's text), or null: its children
     */
    record Mapped(String name, Map<String, String> attributes, List<String> classes, Map<String, String> style, Map<String, String> dataset,
                  String content) {
        Mapped {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            classes = List.copyOf(classes);
            style = Collections.unmodifiableMap(new LinkedHashMap<>(style));
            dataset = Collections.unmodifiableMap(new LinkedHashMap<>(dataset));
        }
    }

    /** Icon glyphs by {@code icon type}. */
    private static final Map<String, String> ICONS = Map.of("success", "\u2714", "success_no_circle", "\u2713", "info", "\u2139",
            "warn", "\u26A0", "waiting", "\u23F3", "cancel", "\u2716", "download", "\u2B07", "search", "\u2315", "clear", "\u2715");

    static Mapped map(ViewNode.Element node, UrlPolicy urls, Form form) {
        String tag = node.tag();
        boolean rich = RichTextSanitizer.isRichTextTag(tag);
        String name = rich ? RichTextSanitizer.htmlName(tag) : Builtins.builtin(tag).map(Builtin::element).orElse("div");
        Map<String, String> a = node.attributes();
        // Built-ins and the page root carry their type class (the engine usually sends it too; written once).
        // Custom component hosts do not: the engine gives them the WXSS host class.
        List<String> classes = new ArrayList<>();
        if ((Builtins.isBuiltin(tag) || tag.equals(Builtins.PAGE_TAG)) && !node.classes().contains(Builtins.typeClass(tag))) {
            classes.add(Builtins.typeClass(tag));
        }
        classes.addAll(node.classes());
        var out = new Attributes();
        if (a.containsKey("id") && !a.get("id").isEmpty()) {
            out.put("id", a.get("id"));
        }
        out.flag("hidden", isTrue(a, "hidden"));
        if (a.containsKey("aria-label")) {
            out.put("aria-label", a.get("aria-label"));
        }
        if (a.containsKey("aria-role")) {
            out.put("role", a.get("aria-role"));
        }
        var style = new LinkedHashMap<String, String>();
        node.style().forEach((p, v) -> style.put(p, StyleRules.render(v, form.imageUrl(), urls)));
        String content = specific(tag, rich, a, out, style, urls, form);
        var dataset = new LinkedHashMap<String, String>();
        if (form.dataset()) {
            node.dataset().forEach((key, value) -> dataset.put(dataAttribute(key), value));
        }
        return new Mapped(name, out.values, classes, style, dataset, content);
    }

    /** Attributes as an HTML parser keeps them: the first value of a name wins. */
    private static final class Attributes {
        final Map<String, String> values = new LinkedHashMap<>();

        void put(String name, String value) {
            values.putIfAbsent(name, Objects.requireNonNull(value, "value"));
        }

        void flag(String name, boolean on) {
            if (on && !values.containsKey(name)) {
                values.put(name, null);
            }
        }
    }

    /** What a component adds beyond the common attributes; returns the text content that replaces children, if any. */
    private static String specific(String tag, boolean rich, Map<String, String> a, Attributes html, Map<String, String> style, UrlPolicy urls,
            Form form) {
        if (rich) {
            a.forEach((k, v) -> {
                if (k.equals("src")) {
                    String src = imageSource(v, urls, form);
                    if (src != null) {
                        html.put("src", src);
                    }
                } else if (!k.equals("id") && !k.equals("hidden") && !k.startsWith("aria-")) {
                    html.put(k, v);
                }
            });
            return null;
        }
        switch (tag) {
            case "image", "cover-image" -> {
                String src = imageSource(a.get("src"), urls, form);
                if (src != null) {
                    html.put("src", src);
                }
                html.put("alt", a.getOrDefault("aria-label", ""));
                imageMode(a.getOrDefault("mode", ""), style);
            }
            case "button" -> {
                html.put("type", "button");
                html.flag("disabled", isTrue(a, "disabled"));
                if (isTrue(a, "loading")) {
                    html.put("aria-busy", "true");
                }
            }
            case "input" -> {
                String type = isTrue(a, "password") || "safe-password".equals(a.get("type")) ? "password"
                        : "number".equals(a.get("type")) || "digit".equals(a.get("type")) ? "number" : "text";
                html.put("type", type);
                html.flag("readonly", !form.live());
                html.flag("disabled", isTrue(a, "disabled"));
                copy(a, html, "value", "placeholder");
                if (a.containsKey("maxlength") && !a.get("maxlength").isEmpty()) {
                    html.put("maxlength", a.get("maxlength"));
                }
            }
            case "textarea" -> {
                html.flag("readonly", !form.live());
                html.flag("disabled", isTrue(a, "disabled"));
                copy(a, html, "placeholder");
                return a.getOrDefault("value", "");
            }
            case "label" -> copy(a, html, "for");
            case "form" -> html.put("role", "form");
            case "checkbox", "radio", "switch" -> {
                html.put("role", tag);
                html.put("aria-checked", String.valueOf(isTrue(a, "checked")));
                html.put("aria-disabled", String.valueOf(isTrue(a, "disabled")));
                if (form.live() && !tag.equals("switch")) {
                    copy(a, html, "value"); // the shell's group change reports the checked boxes' values
                }
            }
            case "picker" -> {
                if (form.live()) {
                    // The shell draws the picker itself from these inert attributes; a static document shows only the trigger.
                    html.flag("disabled", isTrue(a, "disabled"));
                    copy(a, html, "mode", "range", "range-key");
                    String value = pickerValue(a.getOrDefault("value", ""));
                    if (!value.isEmpty()) {
                        html.put("value", value);
                    }
                }
            }
            case "checkbox-group" -> html.put("role", "group");
            case "radio-group" -> html.put("role", "radiogroup");
            case "slider" -> {
                html.put("type", "range");
                html.flag("disabled", isTrue(a, "disabled"));
                html.put("min", a.getOrDefault("min", "0"));
                html.put("max", a.getOrDefault("max", "100"));
                html.put("step", a.getOrDefault("step", "1"));
                html.put("value", a.getOrDefault("value", "0"));
            }
            case "navigator" -> html.put("role", "link");
            case "scroll-view" -> {
                if (isTrue(a, "scroll-x")) {
                    style.put("overflow-x", "auto");
                }
                if (isTrue(a, "scroll-y")) {
                    style.put("overflow-y", "auto");
                }
            }
            case "icon" -> {
                html.put("role", "img");
                html.put("aria-label", a.getOrDefault("type", ""));
                if (!a.getOrDefault("color", "").isEmpty()) {
                    style.put("color", a.get("color"));
                }
                if (!a.getOrDefault("size", "").isEmpty()) {
                    style.put("font-size", a.get("size") + "px");
                }
                return ICONS.getOrDefault(a.getOrDefault("type", ""), "");
            }
            case "progress" -> {
                html.put("max", "100");
                html.put("value", a.getOrDefault("percent", "0").isEmpty() ? "0" : a.get("percent"));
            }
            case "movable-view" -> style.put("transform", "translate(" + number(a.get("x")) + "px," + number(a.get("y")) + "px)");
            default -> { }
        }
        return null;
    }

    /**
     * A picker's {@code value} as the shell reads it: the tree holds JSON text (an index, or a quoted date or
     * time), the shell wants the index or the plain date/time text.
     */
    private static String pickerValue(String json) {
        if (!json.startsWith("\"")) {
            return json;
        }
        var node = dev.capsule.core.json.StrictJson.mapper().readTree(json);
        return node.isString() ? node.stringValue() : json;
    }

    /** A package image as the form loads it; null for remote images and what the form does not answer. */
    static String imageSource(String reference, UrlPolicy urls, Form form) {
        return reference == null ? null : urls.image(reference).map(form.imageUrl()).orElse(null);
    }

    private static void imageMode(String mode, Map<String, String> style) {
        switch (mode) {
            case "", "scaleToFill" -> style.put("object-fit", "fill");
            case "aspectFit" -> style.put("object-fit", "contain");
            case "aspectFill" -> style.put("object-fit", "cover");
            case "widthFix" -> style.put("height", "auto");
            case "heightFix" -> style.put("width", "auto");
            default -> {
                style.put("object-fit", "none");
                style.put("object-position", mode);
            }
        }
    }

    /** Text under {@code text} or {@code rich-text} with {@code decode} and {@code space}; the result is still written as text. */
    static String text(String text, ViewNode.Element parent) {
        String out = text;
        if (parent.tag().equals("text") && isTrue(parent.attributes(), "decode")) {
            out = out.replace("&nbsp;", "\u00a0").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
                    .replace("&ensp;", "\u2002").replace("&emsp;", "\u2003").replace("&amp;", "&");
        }
        String space = parent.attributes().getOrDefault("space", "");
        return switch (space) {
            case "ensp" -> out.replace(' ', '\u2002');
            case "emsp" -> out.replace(' ', '\u2003');
            case "nbsp" -> out.replace(' ', '\u00a0');
            default -> out;
        };
    }

    /** {@code fooBar} as {@code data-foo-bar}. */
    static String dataAttribute(String key) {
        var out = new StringBuilder("data-");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                out.append('-').append((char) (c + 32));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void copy(Map<String, String> a, Attributes html, String... names) {
        for (String name : names) {
            if (a.containsKey(name) && !a.get(name).isEmpty()) {
                html.put(name, a.get(name));
            }
        }
    }

    static boolean isTrue(Map<String, String> attributes, String name) {
        return "true".equals(attributes.get(name));
    }

    private static String number(String value) {
        return value == null || value.isEmpty() ? "0" : value;
    }
}
