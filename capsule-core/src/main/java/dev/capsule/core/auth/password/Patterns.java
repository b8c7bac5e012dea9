package dev.capsule.core.auth.password;

/** The shape checks of {@link PasswordPolicy}, on already case-folded text. */
final class Patterns {
    private Patterns() {}

    /** True if the text is one unit repeated, wholly or with a partial last copy, and the unit is at most half of it. */
    static boolean isRepetitive(String text) {
        int[] cps = text.codePoints().toArray();
        for (int period = 1; period <= cps.length / 2; period++) {
            if (hasPeriod(cps, period)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPeriod(int[] cps, int period) {
        for (int i = period; i < cps.length; i++) {
            if (cps[i] != cps[i - period]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if every character is the one before plus one, or every one is the one before minus one
     * ({@code abcdef}, {@code 654321}); digits wrap around ({@code 7890123}), as on a keyboard row.
     */
    static boolean isSequential(String text) {
        int[] cps = text.codePoints().toArray();
        return cps.length > 1 && (runs(cps, 1) || runs(cps, -1));
    }

    private static boolean runs(int[] cps, int direction) {
        for (int i = 1; i < cps.length; i++) {
            if (!follows(cps[i - 1], cps[i], direction)) {
                return false;
            }
        }
        return true;
    }

    private static boolean follows(int previous, int next, int direction) {
        if (next - previous == direction) {
            return true;
        }
        return direction > 0 ? previous == '9' && next == '0' : previous == '0' && next == '9';
    }

    /** The text without its leading and trailing characters that are not letters (digits, symbols, spaces). */
    static String stripNonLetterEnds(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && !Character.isLetter(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && !Character.isLetter(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }
}
