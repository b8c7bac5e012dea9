package dev.capsule.runtime.view;

/**
 * A view op or batch that the host refuses: unknown node, wrong version, a tag, attribute, style or
 * chrome value outside the allowlists, or a cap of {@link ViewLimits} breached. When {@link ViewTree#apply}
 * throws it, nothing of the batch was applied. The message names the op (by index) and the rule; it
 * never repeats a whole guest value (values are quoted shortened and escaped, see {@link #quote}).
 */
public final class ViewOpException extends RuntimeException {
    private static final int QUOTED_CHARS_MAX = 40;

    public ViewOpException(String message) {
        super(message, null, false, false);
    }

    /** A guest value as it may appear in a message: at most 40 characters, control, markup and non-ASCII characters as {@code \\uXXXX}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int n = Math.min(value.length(), QUOTED_CHARS_MAX);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\'') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > n) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
