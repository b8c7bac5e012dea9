package dev.capsule.core.text;

/**
 * Makes untrusted text safe to show on one line of a terminal or log: control characters (C0, C1,
 * DEL), format characters (bidi overrides, zero-width), line and paragraph separators and lone
 * surrogates become {@code \\uXXXX} escapes, and long text is cut. Messages quote package content
 * (names, ids, field names), so without this a package could forge output lines or hide text.
 */
public final class SafeText {
    /** No message Capsule writes needs more; longer text is cut with "…". */
    public static final int MESSAGE_CHARS_MAX = 1000;

    private SafeText() {}

    /** True for characters that must never be shown raw (see class comment). */
    public static boolean isUnsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    /** {@code text} with unsafe characters escaped and cut to {@link #MESSAGE_CHARS_MAX}. */
    public static String escape(String text) {
        return escape(text, MESSAGE_CHARS_MAX);
    }

    /**
     * {@code text} with unsafe characters escaped, cut to about {@code charsMax} characters of output
     * (for text whose size something else already bounds, such as a guest's log line, which a
     * message-sized cut would hide).
     */
    public static String escape(String text, int charsMax) {
        if (text == null) {
            return "";
        }
        if (charsMax < 1) {
            throw new IllegalArgumentException("charsMax must be positive");
        }
        StringBuilder out = new StringBuilder((int) Math.min((long) text.length(), charsMax) + 16);
        int i = 0;
        while (i < text.length() && out.length() < charsMax) {
            int c = text.codePointAt(i);
            if (isUnsafe(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        if (i < text.length()) {
            out.append('…');
        }
        return out.toString();
    }

    /**
     * JSON text made safe for any line splitter, with the same meaning: every unsafe character (as
     * {@link #isUnsafe}; in valid JSON they can occur only inside strings, where an escape means the
     * same) is written as a {@code \\u} escape, and CR, LF and tab (only between tokens in valid JSON,
     * where a space means the same) become spaces. Surrogates are left alone: a pair is one printable
     * character. Valid JSON stays valid and equal; returns {@code json} itself when nothing changes.
     */
    public static String jsonText(String json) {
        if (json == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean whitespace = c == '\n' || c == '\r' || c == '\t';
            if (whitespace || (!Character.isSurrogate(c) && isUnsafe(c))) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                out.append(whitespace ? " " : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }
}
