package dev.capsule.runtime.view.wxss;

/** Guest text in messages and CSS strings: quoted, escaped, bounded. */
final class Text {
    private static final int QUOTED_CHARS_MAX = 80;

    private Text() {
    }

    /** For messages: in double quotes, control and line-separator characters as {@code \\uXXXX}, cut at 80. */
    static String quote(String guest) {
        StringBuilder b = new StringBuilder("\"");
        int limit = Math.min(guest.length(), QUOTED_CHARS_MAX);
        for (int i = 0; i < limit; i++) {
            char c = guest.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029' || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (guest.length() > limit) {
            b.append('…');
        }
        return b.append('"').toString();
    }

    /**
     * A CSS string token holding {@code value} exactly: quotes, backslashes, line ends and every
     * character that could end an HTML {@code <style>} element are CSS escapes.
     */
    static String cssString(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c == 0x7f
                    || c == '\u2028' || c == '\u2029') {
                b.append('\\').append(Integer.toHexString(c)).append(' ');
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The value of a CSS string token's text (quotes removed, escapes resolved); null if it is not one. */
    static String unquote(String token) {
        if (token.length() < 2) {
            return null;
        }
        char quote = token.charAt(0);
        if ((quote != '"' && quote != '\'') || token.charAt(token.length() - 1) != quote) {
            return null;
        }
        return unescape(token.substring(1, token.length() - 1));
    }

    /** Resolves CSS escapes ({@code \\41 }, {@code \\"}, escaped newlines vanish). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                i++;
                continue;
            }
            char next = s.charAt(i + 1);
            if (next == '\n') {
                i += 2;
                continue;
            }
            int j = i + 1;
            while (j < s.length() && j < i + 7 && Character.digit(s.charAt(j), 16) >= 0) {
                j++;
            }
            if (j > i + 1) {
                int code = Integer.parseInt(s.substring(i + 1, j), 16);
                b.appendCodePoint(code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) ? 0xFFFD : code);
                if (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\n' || s.charAt(j) == '\t')) {
                    j++;
                }
                i = j;
            } else {
                b.append(next);
                i += 2;
            }
        }
        return b.toString();
    }
}
