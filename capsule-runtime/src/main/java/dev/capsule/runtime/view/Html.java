package dev.capsule.runtime.view;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed HTML builder {@link HtmlRenderer} writes pages with. Element and attribute names come from
 * closed sets (never from guest data: {@code script}, {@code iframe}, {@code object}, {@code on*} and
 * {@code href} are not in them); every attribute value and text is escaped when written, so no value
 * can end its context. The stylesheet is the only raw text, and it is refused when it contains
 * {@code </style}.
 */
final class Html {
    /** Element names the builder writes: the document's, the built-ins' and rich-text's. */
    private static final Set<String> ELEMENTS = elements();
    private static final Set<String> VOID = Set.of("meta", "img", "input", "br", "hr", "col");
    /** Attribute names the builder writes (besides {@code data-*} with a checked name). */
    private static final Set<String> ATTRIBUTES = Set.of("class", "style", "id", "hidden", "role", "aria-label", "aria-checked",
            "aria-disabled", "aria-busy", "src", "alt", "type", "value", "placeholder", "disabled", "maxlength", "checked", "min",
            "max", "step", "for", "readonly", "colspan", "rowspan", "width", "height", "start", "span", "charset", "name", "content",
            "http-equiv", "lang", "mode", "range", "range-key");
    private static final Pattern DATA_NAME = Pattern.compile("data-[a-z0-9_$-]{1,160}");

    private final String name;
    private final List<String[]> attributes = new ArrayList<>();
    private final List<Object> children = new ArrayList<>();

    private Html(String name) {
        if (!ELEMENTS.contains(name)) {
            throw new IllegalArgumentException("no element <" + name + "> in the builder");
        }
        this.name = name;
    }

    /** Whether the builder writes this element name (the closed set {@code BrowserView} checks its wire against too). */
    static boolean isElement(String name) {
        return ELEMENTS.contains(name);
    }

    /** Whether the builder writes this attribute name ({@code data-*} excluded: the wire never carries them). */
    static boolean isAttribute(String name) {
        return ATTRIBUTES.contains(name);
    }

    static Html element(String name) {
        return new Html(name);
    }

    boolean isVoid() {
        return VOID.contains(name);
    }

    Html attr(String attribute, String value) {
        if (!ATTRIBUTES.contains(attribute) && !DATA_NAME.matcher(attribute).matches()) {
            throw new IllegalArgumentException("no attribute " + attribute + " in the builder");
        }
        attributes.add(new String[] {attribute, value});
        return this;
    }

    /** A boolean attribute, written without a value when {@code on}. */
    Html flag(String attribute, boolean on) {
        return on ? attr(attribute, null) : this;
    }

    Html text(String text) {
        if (!isVoid()) {
            children.add(text);
        }
        return this;
    }

    Html child(Html child) {
        if (!isVoid()) {
            children.add(child);
        }
        return this;
    }

    /** A {@code <style>} element's sheet: raw text, refused when it could end the element. */
    static Html style(String css) {
        if (css.toLowerCase(Locale.ROOT).contains("</style")) {
            throw new ViewOpException("a stylesheet must not contain </style");
        }
        Html style = new Html("style");
        style.children.add(new RawCss(css));
        return style;
    }

    private record RawCss(String css) {}

    void write(StringBuilder out) {
        out.append('<').append(name);
        for (String[] a : attributes) {
            out.append(' ').append(a[0]);
            if (a[1] != null) {
                out.append("=\"");
                escape(a[1], out);
                out.append('"');
            }
        }
        out.append('>');
        if (isVoid()) {
            return;
        }
        for (Object child : children) {
            switch (child) {
                case Html element -> element.write(out);
                case RawCss raw -> out.append(raw.css());
                case String text -> escape(text, out);
                default -> throw new IllegalStateException();
            }
        }
        out.append("</").append(name).append('>');
    }

    /**
     * Escapes for both text and double- or single-quoted attribute values. Characters HTML cannot carry
     * (NUL and other C0 controls but tab and line breaks, DEL, C1 controls, unpaired surrogates) become U+FFFD.
     */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
                        out.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static Set<String> elements() {
        var set = new HashSet<>(Set.of("html", "head", "meta", "title", "style", "body", "header", "nav", "main"));
        Builtins.all().forEach(b -> set.add(b.element()));
        set.addAll(RichTextSanitizer.TAGS);
        set.add("div");
        return Set.copyOf(set);
    }
}
