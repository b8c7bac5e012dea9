package dev.capsule.runtime.view;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inline style properties a view may set ({@link ViewOp.SetStyle}) and the checks on their values.
 *
 * <p>Security guarantees: a property is accepted only from {@link #PROPERTIES} or as a custom property
 * {@code --name}; a value is refused when it has a control character, a backslash (CSS escapes could hide
 * any of what follows), {@code < > ; { } @}, a comment, unbalanced quotes or parentheses, {@code !} other than
 * a trailing {@code !important}, or (case-insensitively, ignoring whitespace) {@code expression(},
 * {@code javascript:}, {@code vbscript:}, {@code behavior}, {@code -moz-binding}, {@code image-set(},
 * {@code src(}. {@code url(...)} is accepted only in {@link #URL_PROPERTIES}, with a quoted or bare
 * reference {@link UrlPolicy#image} accepts; the renderer replaces it by the package file's {@code data:}
 * URI, or {@code none} for remote images, so no inline style fetches anything.
 */
public final class StyleRules {
    /** Properties whose value may contain {@code url(...)}. */
    public static final Set<String> URL_PROPERTIES = Set.of("background", "background-image");
    /** The allowlisted properties (custom properties {@code --name} are accepted as well). */
    public static final Set<String> PROPERTIES = Set.of(
            "display", "position", "top", "right", "bottom", "left", "inset", "z-index", "float", "clear", "overflow", "overflow-x",
            "overflow-y", "visibility", "box-sizing", "width", "height", "min-width", "min-height", "max-width", "max-height",
            "margin", "margin-top", "margin-right", "margin-bottom", "margin-left", "padding", "padding-top", "padding-right",
            "padding-bottom", "padding-left", "flex", "flex-direction", "flex-wrap", "flex-flow", "flex-grow", "flex-shrink",
            "flex-basis", "justify-content", "align-items", "align-content", "align-self", "order", "gap", "row-gap", "column-gap",
            "place-items", "place-content", "place-self", "justify-items", "justify-self", "grid-template-columns",
            "grid-template-rows", "grid-template-areas", "grid-area", "grid-column", "grid-row", "grid-column-start",
            "grid-column-end", "grid-row-start", "grid-row-end", "grid-auto-flow", "grid-auto-columns", "grid-auto-rows", "grid-gap",
            "color", "font", "font-family", "font-size", "font-weight", "font-style", "font-variant", "line-height", "letter-spacing",
            "word-spacing", "text-align", "text-decoration", "text-decoration-line", "text-decoration-color", "text-decoration-style",
            "text-indent", "text-transform", "text-overflow", "text-shadow", "white-space", "word-break", "word-wrap", "overflow-wrap",
            "vertical-align", "direction", "writing-mode", "-webkit-line-clamp", "-webkit-box-orient", "line-clamp", "hyphens",
            "text-align-last", "user-select", "-webkit-user-select", "background", "background-color", "background-image",
            "background-size", "background-position", "background-repeat", "background-clip", "background-origin",
            "background-attachment", "border", "border-top", "border-right", "border-bottom", "border-left", "border-width",
            "border-style", "border-color", "border-radius", "border-top-left-radius", "border-top-right-radius",
            "border-bottom-left-radius", "border-bottom-right-radius", "border-top-width", "border-right-width",
            "border-bottom-width", "border-left-width", "border-top-style", "border-right-style", "border-bottom-style",
            "border-left-style", "border-top-color", "border-right-color", "border-bottom-color", "border-left-color", "outline",
            "outline-color", "outline-style", "outline-width", "outline-offset", "box-shadow", "opacity", "transform",
            "transform-origin", "transition", "transition-property", "transition-duration", "transition-timing-function",
            "transition-delay", "animation", "animation-name", "animation-duration", "animation-timing-function", "animation-delay",
            "animation-iteration-count", "animation-direction", "animation-fill-mode", "animation-play-state", "filter",
            "backdrop-filter", "-webkit-backdrop-filter", "mix-blend-mode", "object-fit", "object-position", "cursor",
            "pointer-events", "will-change", "perspective", "backface-visibility", "list-style", "list-style-type",
            "list-style-position", "table-layout", "border-collapse", "border-spacing", "resize", "scroll-behavior",
            "-webkit-overflow-scrolling", "touch-action", "aspect-ratio", "isolation", "-webkit-tap-highlight-color", "caret-color",
            "accent-color", "content-visibility", "text-rendering", "-webkit-font-smoothing", "font-feature-settings",
            "-webkit-text-fill-color", "-webkit-text-stroke", "-webkit-box-pack", "-webkit-box-align", "-webkit-box-flex");

    private static final Pattern CUSTOM_PROPERTY = Pattern.compile("--[A-Za-z0-9_-]{1,64}");
    private static final Pattern FORBIDDEN = Pattern.compile("expression\\(|javascript:|vbscript:|behavior|-moz-binding|image-set\\(|src\\(|data:");
    private static final Pattern URL = Pattern.compile("url\\(\\s*(\"([^\"]*)\"|'([^']*)'|([^\"'()\\s]*))\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RPX = Pattern.compile("(?<![\\w.-])(-?(?:\\d+(?:\\.\\d+)?|\\.\\d+))rpx\\b");

    private StyleRules() {}

    public static boolean isAllowedProperty(String property) {
        return PROPERTIES.contains(property) || CUSTOM_PROPERTY.matcher(property).matches();
    }

    /** Why the declaration is refused, or empty when accepted. */
    public static Optional<String> check(String property, String value, UrlPolicy urls) {
        if (!isAllowedProperty(property)) {
            return Optional.of("style property " + ViewOpException.quote(property) + " is not allowed");
        }
        String body = value.endsWith("!important") ? value.substring(0, value.length() - "!important".length()) : value;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '<' || c == '>' || c == ';' || c == '{' || c == '}' || c == '@' || c == '!'
                    || c == '\u2028' || c == '\u2029') {
                return Optional.of("style value of " + property + " has a forbidden character, got " + ViewOpException.quote(value));
            }
        }
        if (body.contains("/*") || body.contains("*/")) {
            return Optional.of("style value of " + property + " has a comment");
        }
        if (!balanced(body)) {
            return Optional.of("style value of " + property + " has unbalanced quotes or parentheses");
        }
        // Checked on the value with its url() references taken out, so a package path like /behavior.png stays possible.
        Matcher urlMatch = URL.matcher(body);
        var rest = new StringBuilder();
        int last = 0;
        while (urlMatch.find()) {
            if (!URL_PROPERTIES.contains(property)) {
                return Optional.of("url() is not allowed in " + property);
            }
            String ref = reference(urlMatch);
            if (urls.image(ref).isEmpty()) {
                return Optional.of("url() of " + property + " must be a package image or an allowlisted https image, got " + ViewOpException.quote(ref));
            }
            rest.append(body, last, urlMatch.start()).append(' ');
            last = urlMatch.end();
        }
        rest.append(body.substring(last));
        String squashed = rest.toString().toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        if (squashed.contains("url(") || FORBIDDEN.matcher(squashed).find()) {
            return Optional.of("style value of " + property + " is not allowed, got " + ViewOpException.quote(value));
        }
        return Optional.empty();
    }

    /**
     * A checked value as it is written into the page: {@code Nrpx} becomes {@code calc(N * var(--rpx))} (as
     * the WXSS compiler writes sheets) and each {@code url(...)} becomes {@code url("…")} of what
     * {@code urlRenderer} returns for the reference, or {@code none} when it returns {@code null}.
     */
    static String render(String value, Function<UrlPolicy.Target, String> urlRenderer, UrlPolicy urls) {
        Matcher urlMatch = URL.matcher(value);
        var out = new StringBuilder();
        int last = 0;
        while (urlMatch.find()) {
            out.append(rpx(value.substring(last, urlMatch.start())));
            String rendered = urls.image(reference(urlMatch)).map(urlRenderer).orElse(null);
            // A data: URI has only base64 and [a-z/+;,:] characters: nothing to escape inside the quotes.
            out.append(rendered == null ? "none" : "url(\"" + rendered + "\")");
            last = urlMatch.end();
        }
        out.append(rpx(value.substring(last)));
        return out.toString();
    }

    private static String rpx(String text) {
        return RPX.matcher(text).replaceAll("calc($1 * var(--rpx))");
    }

    private static String reference(Matcher m) {
        return m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
    }

    private static boolean balanced(String value) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return quote == 0 && depth == 0;
    }

    /**
     * A {@code style} attribute's text ({@code a: b; c: d}) as ordered property/value pairs: properties
     * lower-cased, values trimmed, semicolons inside quotes or parentheses do not split, a later duplicate
     * wins. Nothing is checked here: each pair then goes through {@link #check}.
     */
    public static Map<String, String> declarations(String style) {
        var out = new LinkedHashMap<String, String>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i <= style.length(); i++) {
            char c = i < style.length() ? style.charAt(i) : ';';
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && (depth == 0 || i == style.length())) {
                String declaration = style.substring(start, Math.min(i, style.length()));
                int colon = declaration.indexOf(':');
                if (colon > 0) {
                    out.put(declaration.substring(0, colon).trim().toLowerCase(Locale.ROOT), declaration.substring(colon + 1).trim());
                }
                start = i + 1;
            }
        }
        return out;
    }
}
