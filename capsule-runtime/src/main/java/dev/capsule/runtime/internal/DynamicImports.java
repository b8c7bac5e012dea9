package dev.capsule.runtime.internal;

/**
 * Finds {@code import(…)} and {@code import.meta} in a module's source. GraalJS evaluates
 * {@code import('data:text/javascript,…')} even with eval disabled, which would let a mini-program
 * run code built from strings (downloaded, say) that no review or signature covered. The keyword
 * cannot be written with escapes or built at run time without eval, so a textual check on the
 * source is complete; it may also refuse the word inside a string or comment, which the error names.
 *
 * <p>A hand-written linear scan rather than a regular expression: the source is hostile and the
 * check runs on the session thread, where the watchdog cannot interrupt Java code.
 */
final class DynamicImports {
    private static final String KEYWORD = "import";

    private DynamicImports() {}

    /** The line (1-based) of the first dynamic import, or 0 if there is none. */
    static int firstLine(String source) {
        int from = 0;
        while (true) {
            int at = source.indexOf(KEYWORD, from);
            if (at < 0) {
                return 0;
            }
            int after = at + KEYWORD.length();
            if (!standsAlone(source, at, after)) {
                from = after;
                continue;
            }
            int next = skipSpaceAndComments(source, after);
            if (next < 0) {
                return 0; // an unterminated comment: the rest of the file is comment (and a syntax error)
            }
            if (next < source.length() && (source.charAt(next) == '(' || source.charAt(next) == '.')) {
                return lineOf(source, at);
            }
            from = Math.max(next, after); // whatever was skipped holds no tokens: never scan it twice
        }
    }

    /** Not part of a longer identifier, and not a property name after a single dot ({@code x.import}). */
    private static boolean standsAlone(String s, int at, int after) {
        if (at > 0 && isIdentifierPart(s.charAt(at - 1))) {
            return false;
        }
        if (after < s.length() && isIdentifierPart(s.charAt(after))) {
            return false;
        }
        boolean dot = at > 0 && s.charAt(at - 1) == '.';
        boolean spread = at > 1 && s.charAt(at - 2) == '.';
        return !dot || spread;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '\\';
    }

    /** Index of the first character after whitespace and comments, or -1 inside an unterminated comment. */
    private static int skipSpaceAndComments(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0' || c == '\ufeff' || c == '\u2028' || c == '\u2029') {
                i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 2;
            } else if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i + 2);
                if (end < 0) {
                    return s.length();
                }
                i = end + 1;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int lineOf(String s, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
