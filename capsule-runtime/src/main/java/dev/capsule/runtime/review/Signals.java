package dev.capsule.runtime.review;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Text measures behind the obfuscation and secret rules: entropy, encoded payloads and the shapes of
 * well-known credentials. Pure functions over one string; the parser decides which strings.
 */
final class Signals {
    /** A base64 or hex string at least this long is an encoded payload. */
    static final int PAYLOAD_CHARS_MIN = 256;
    /** An array of at least this many strings may be an obfuscator's string table. */
    static final int TABLE_STRINGS_MIN = 16;
    /** Bits per character of the table's joined strings: random base64 has about 6, English words about 4.2. */
    static final double TABLE_ENTROPY_BITS_MIN = 5.0;
    /** A generic secret is at least this long. */
    static final int SECRET_CHARS_MIN = 16;
    /** Bits per character of a generic secret (a 16-character string of distinct characters has 4). */
    static final double SECRET_ENTROPY_BITS_MIN = 3.5;
    /** Longer strings are not keys or passwords (and are judged by the payload rule instead). */
    static final int SECRET_CHARS_MAX = 4096;
    /** Names a value is a secret by: key, secret, token, password, credential, auth. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i)key|secret|token|passw(or)?d|pwd|credential|auth");
    /** A JWT's header and payload segments are at least this long ({@code eyJ} and some base64url). */
    static final int JWT_SEGMENT_CHARS_MIN = 11;

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:0x)?[0-9a-fA-F]+");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----");

    private Signals() {}

    /** A well-known credential shape and the rule it belongs to. */
    record Shape(Rule rule, Predicate<String> in) {
        static Shape of(Rule rule, String regex) {
            Pattern pattern = Pattern.compile(regex);
            return new Shape(rule, text -> pattern.matcher(text).find());
        }
    }

    /**
     * The credential shapes, most specific first. Every regular expression here runs in time linear in
     * the text (bounded repetitions, or a match that cannot be retried from inside a failed run), so a
     * crafted string cannot stall the review; the JWT shape, whose segments contain the hyphen that would
     * let every {@code eyJ} start a new quadratic attempt, is a scanner ({@link #containsJwt}).
     */
    static final List<Shape> SHAPES = List.of(
            new Shape(Rule.SECRET_PRIVATE_KEY, text -> PRIVATE_KEY.matcher(text).find()),
            Shape.of(Rule.SECRET_AWS_KEY, "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
            Shape.of(Rule.SECRET_GITHUB_TOKEN, "\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\\b"),
            Shape.of(Rule.SECRET_SLACK_TOKEN, "\\bxox[abprs]-[0-9A-Za-z-]{10}"),
            Shape.of(Rule.SECRET_STRIPE_KEY, "\\b[sr]k_live_[0-9A-Za-z]{24}"),
            new Shape(Rule.SECRET_JWT, Signals::containsJwt));

    /** The first credential shape {@code text} contains, or null. */
    static Shape credential(String text) {
        if (text.length() < 16) {
            return null;
        }
        for (Shape s : SHAPES) {
            if (s.in().test(text)) {
                return s;
            }
        }
        return null;
    }

    /**
     * True if {@code text} contains {@code eyJ….eyJ….…}: two base64url segments of at least
     * {@link #JWT_SEGMENT_CHARS_MIN} characters starting with {@code eyJ} (a JSON object) and a third of
     * at least 8, not preceded by a word character. One pass: a start whose first segment does not end
     * in a dot lets the scan skip past that segment, since every later start inside it ends there too.
     */
    static boolean containsJwt(String text) {
        int from = 0;
        while (true) {
            int start = text.indexOf("eyJ", from);
            if (start < 0) {
                return false;
            }
            if (start > 0 && isWordChar(text.charAt(start - 1))) {
                from = start + 1;
                continue;
            }
            int end1 = segmentEnd(text, start);
            if (end1 - start >= JWT_SEGMENT_CHARS_MIN && end1 < text.length() && text.charAt(end1) == '.'
                    && text.startsWith("eyJ", end1 + 1)) {
                int end2 = segmentEnd(text, end1 + 1);
                if (end2 - end1 - 1 >= JWT_SEGMENT_CHARS_MIN && end2 < text.length() && text.charAt(end2) == '.'
                        && segmentEnd(text, end2 + 1) - end2 - 1 >= 8) {
                    return true;
                }
            }
            from = Math.max(end1, start + 1);
        }
    }

    private static int segmentEnd(String text, int from) {
        int i = from;
        while (i < text.length() && isBase64Url(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBase64Url(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static boolean isWordChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    /** Shannon entropy of {@code text}'s characters, in bits per character (0 for empty text). */
    static double entropy(CharSequence text) {
        int n = text.length();
        if (n == 0) {
            return 0;
        }
        java.util.HashMap<Character, int[]> counts = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.computeIfAbsent(text.charAt(i), c -> new int[1])[0]++;
        }
        double bits = 0;
        for (int[] c : counts.values()) {
            double p = (double) c[0] / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** True if {@code text} is a long all-base64 or all-hex string (not an inline image). */
    static boolean encodedPayload(String text) {
        if (text.length() < PAYLOAD_CHARS_MIN || text.startsWith("data:image/")) {
            return false;
        }
        String body = text.startsWith("data:") && text.indexOf(',') > 0 ? text.substring(text.indexOf(',') + 1) : text;
        return body.length() >= PAYLOAD_CHARS_MIN && (HEX.matcher(body).matches() || BASE64.matcher(body).matches() && entropy(body) >= 4.5);
    }

    /** True if {@code value}, assigned to {@code name}, looks like a generic secret. */
    static boolean namedSecret(String name, String value) {
        if (name == null || value.length() < SECRET_CHARS_MIN || value.length() > SECRET_CHARS_MAX || !SECRET_NAME.matcher(name).find()) {
            return false;
        }
        boolean letters = false;
        boolean digits = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c)) {
                return false;
            }
            letters |= Character.isLetter(c);
            digits |= Character.isDigit(c);
        }
        return letters && digits && entropy(value) >= SECRET_ENTROPY_BITS_MIN;
    }
}
