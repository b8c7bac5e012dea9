package dev.capsule.server.payments;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for the payments module's public ids: a fixed prefix, an underscore and 26 characters of lower-case
 * RFC 4648 base32 (130 random bits). Every such id contains letters, so none can be mistaken for a card number
 * (a PAN is digits only), and none is guessable.
 */
final class PrefixedIds {
    static final int RANDOM_CHARS = 26;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrefixedIds() {
    }

    static Pattern pattern(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "_[a-z2-7]{" + RANDOM_CHARS + "}");
    }

    static String random(String prefix) {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder(prefix.length() + 1 + RANDOM_CHARS).append(prefix).append('_');
        long buffer = 0;
        int bits = 0;
        int index = 0;
        while (out.length() < prefix.length() + 1 + RANDOM_CHARS) {
            if (bits < 5) {
                buffer = (buffer << 8) | (bytes[index++] & 0xff);
                bits += 8;
            }
            out.append(BASE32[(int) (buffer >>> (bits - 5)) & 31]);
            bits -= 5;
        }
        return out.toString();
    }

    static String require(String value, Pattern pattern, String what) {
        Objects.requireNonNull(value, what);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a " + what + " id: expected " + pattern.pattern());
        }
        return value;
    }
}
