package dev.capsule.runtime.view;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an attribute value (a string, as the engine renders bound values) is checked. The empty string is
 * accepted by every kind and means "not set" (a binding to {@code undefined} renders as {@code ""}).
 */
public enum ValueKind {
    /** Exactly {@code true} or {@code false}: the engine passes a bound value's JavaScript truthiness, and a bare attribute as {@code true}. */
    BOOLEAN("true/false"),
    /** A finite JavaScript number literal ({@code -1.5}, {@code 2e3}). */
    NUMBER("number"),
    /** One of the listed choices. */
    ENUM("enum"),
    /** {@code #rgb}, {@code #rgba}, {@code #rrggbb}, {@code #rrggbbaa}, {@code rgb()}/{@code rgba()}/{@code hsl()}/{@code hsla()} of numbers, or a color keyword. */
    COLOR("color"),
    /** An image reference {@link UrlPolicy#image} accepts (a normalized package path or allowlisted {@code https://}). */
    IMAGE("image URL"),
    /** A CSS length ({@code 10px}, {@code 20rpx}, {@code 5%}, {@code 0}). */
    LENGTH("length"),
    /** A mini-program page path ({@code /pages/a/a?x=1} or relative), never a URL with a scheme. */
    PAGE_PATH("page path"),
    /** Text without control characters other than tab and line breaks. */
    TEXT("text"),
    /** JSON text (an array or object the engine serializes for {@code picker}'s {@code range}/{@code value}). */
    JSON("JSON");

    private static final Pattern NUMBER_TEXT = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})");
    private static final Pattern COLOR_FUNCTION = Pattern.compile("(rgb|rgba|hsl|hsla)\\([0-9.,%/ \\-]{1,64}\\)");
    private static final Pattern KEYWORD = Pattern.compile("[a-zA-Z]{1,32}");
    private static final Pattern LENGTH_TEXT = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)(px|rpx|%|em|rem|vw|vh)?");
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_./?=&%+\\-]{1,1024}");
    private static final int JSON_CHARS_MAX = 65_536;

    private final String label;

    ValueKind(String label) {
        this.label = label;
    }

    /** How docs/view.md names the kind. */
    public String label() {
        return label;
    }

    /** Why {@code value} is refused, or empty when it is accepted. */
    public Optional<String> check(String value, List<String> choices, UrlPolicy urls) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        boolean ok = switch (this) {
            case BOOLEAN -> value.equals("true") || value.equals("false");
            case NUMBER -> NUMBER_TEXT.matcher(value).matches() && Double.isFinite(Double.parseDouble(value));
            case ENUM -> choices.contains(value);
            case COLOR -> isColor(value);
            case IMAGE -> urls.image(value).isPresent();
            case LENGTH -> LENGTH_TEXT.matcher(value).matches();
            case PAGE_PATH -> PAGE.matcher(value).matches() && !value.startsWith("//");
            case TEXT -> isText(value);
            case JSON -> value.length() <= JSON_CHARS_MAX && isJson(value);
        };
        if (ok) {
            return Optional.empty();
        }
        return Optional.of(this == ENUM ? "must be one of " + choices : "must be a " + label);
    }

    static boolean isColor(String value) {
        return HEX.matcher(value).matches() || COLOR_FUNCTION.matcher(value).matches() || KEYWORD.matcher(value).matches();
    }

    /** No C0 control character other than tab, LF, CR; no DEL; no unpaired surrogate. */
    static boolean isText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJson(String value) {
        try {
            var node = dev.capsule.core.json.StrictJson.mapper().readTree(value);
            return node.isArray() || node.isObject() || node.isValueNode();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
