package dev.capsule.runtime.view.wxss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one lexical step before parsing: a CSS Syntax Level 3 scan that finds {@code <number>rpx}
 * dimension tokens (never inside strings, comments, {@code url()}, names or hashes) and writes each as
 * {@code calc(N * var(--rpx))}. Why here: neither maintained Java CSS parser accepts an unknown unit
 * inside {@code calc()}, and a token-exact substitution keeps everything else for the parser to judge.
 * The scan also bounds bracket nesting, so the parser's recursion stays shallow.
 */
final class RpxLexer {
    /** Deepest nesting of {@code ( [ {} in a stylesheet. */
    static final int NESTING_DEPTH_MAX = 32;
    private static final String RPX = "rpx";

    private final String path;
    private final String source;
    private final StringBuilder out = new StringBuilder();
    /** Per output line: output column (1-based) → characters inserted before it, for error positions. */
    private final Map<Integer, List<int[]>> shifts = new HashMap<>();
    private int line = 1;
    private int lineStartOut;
    private int depth;

    private RpxLexer(String path, String source) {
        this.path = path;
        this.source = source;
    }

    /** The rewritten text and how to map its positions back. */
    record Result(String text, Map<Integer, List<int[]>> shifts) {
        /** The column in the original line for a 1-based column of the rewritten line. */
        int originalColumn(int line, int column) {
            int result = column;
            for (int[] shift : shifts.getOrDefault(line, List.of())) {
                if (shift[0] < column) {
                    result -= Math.min(shift[1], column - shift[0]);
                }
            }
            return Math.max(1, result);
        }
    }

    static Result rewrite(String path, String source) throws WxssException {
        RpxLexer lexer = new RpxLexer(path, source);
        lexer.scan();
        return new Result(lexer.out.toString(), lexer.shifts);
    }

    private void scan() throws WxssException {
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = copy(i, end < 0 ? n : end + 2);
            } else if (c == '"' || c == '\'') {
                i = copy(i, stringEnd(i));
            } else if (isDigit(c) || (c == '.' && isDigitAt(i + 1))
                    || ((c == '+' || c == '-') && (isDigitAt(i + 1) || (charAt(i + 1) == '.' && isDigitAt(i + 2))))) {
                i = number(i);
            } else if (c == '#' || c == '@') {
                i = copy(i, nameEnd(i + 1));
            } else if (startsName(i)) {
                int end = nameEnd(i);
                if (source.substring(i, end).equalsIgnoreCase("url") && charAt(end) == '(' && !quotedAfter(end + 1)) {
                    int close = unquotedUrlEnd(end + 1);
                    i = copy(i, close);
                } else {
                    i = copy(i, end);
                }
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                    if (depth > NESTING_DEPTH_MAX) {
                        throw new WxssException(path, line, i - lineStartIn(i) + 1,
                                "brackets nested deeper than " + NESTING_DEPTH_MAX);
                    }
                } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                    depth--;
                }
                i = copy(i, i + 1);
            }
        }
    }

    private int lineStartIn(int index) {
        int nl = source.lastIndexOf('\n', index - 1);
        return nl + 1;
    }

    private int number(int start) {
        int i = start;
        if (charAt(i) == '+' || charAt(i) == '-') {
            i++;
        }
        while (isDigitAt(i)) {
            i++;
        }
        if (charAt(i) == '.' && isDigitAt(i + 1)) {
            i++;
            while (isDigitAt(i)) {
                i++;
            }
        }
        if ((charAt(i) == 'e' || charAt(i) == 'E')
                && (isDigitAt(i + 1) || ((charAt(i + 1) == '+' || charAt(i + 1) == '-') && isDigitAt(i + 2)))) {
            i += 2;
            while (isDigitAt(i)) {
                i++;
            }
        }
        int numberEnd = i;
        if (startsName(i)) {
            int unitEnd = nameEnd(i);
            if (source.substring(i, unitEnd).toLowerCase(Locale.ROOT).equals(RPX)) {
                String number = source.substring(start, numberEnd);
                if (number.startsWith("+")) {
                    number = number.substring(1);
                }
                String replacement = "calc(" + number + " * var(" + StyleSet.RPX_VARIABLE + "))";
                int column = out.length() - lineStartOut + 1;
                shifts.computeIfAbsent(line, k -> new ArrayList<>())
                        .add(new int[] {column, replacement.length() - (unitEnd - start)});
                out.append(replacement);
                return unitEnd;
            }
            return copy(start, unitEnd);
        }
        return copy(start, numberEnd);
    }

    private boolean quotedAfter(int i) {
        while (i < source.length() && isWhitespace(source.charAt(i))) {
            i++;
        }
        return charAt(i) == '"' || charAt(i) == '\'';
    }

    private int unquotedUrlEnd(int i) {
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == ')') {
                return i + 1;
            } else {
                i++;
            }
        }
        return source.length();
    }

    private int stringEnd(int start) {
        char quote = source.charAt(start);
        int i = start + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else if (c == '\n') {
                return i;
            } else {
                i++;
            }
        }
        return source.length();
    }

    private boolean startsName(int i) {
        char c = charAt(i);
        if (c == '-') {
            char next = charAt(i + 1);
            return next == '-' || isNameStart(next) || (next == '\\' && charAt(i + 2) != '\n');
        }
        return isNameStart(c) || (c == '\\' && charAt(i + 1) != '\n' && i + 1 < source.length());
    }

    private int nameEnd(int i) {
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length() && source.charAt(i + 1) != '\n') {
                i += 2;
            } else if (isNameStart(c) || isDigit(c) || c == '-') {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    /** Copies source[from, to) and keeps the line count. */
    private int copy(int from, int to) {
        int end = Math.min(to, source.length());
        for (int k = from; k < end; k++) {
            char c = source.charAt(k);
            out.append(c);
            if (c == '\n') {
                line++;
                lineStartOut = out.length();
            }
        }
        return Math.max(end, from + 1);
    }

    private char charAt(int i) {
        return i < source.length() ? source.charAt(i) : '\0';
    }

    private boolean isDigitAt(int i) {
        return isDigit(charAt(i));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
