package dev.capsule.core.auth;

/**
 * RFC 4648 §6 base32 (alphabet {@code A–Z 2–7}), the encoding of TOTP secrets in otpauth URIs and
 * of Capsule's recovery codes.
 *
 * <p>Encoding writes upper case and no padding (what authenticator apps expect). Decoding is strict,
 * so that one text has exactly one meaning: upper case only, padding either absent or exactly right
 * (RFC 4648 §3.2), the unused low bits of the last character zero (§3.5, "canonical encoding"), and
 * no whitespace or other characters. Callers that accept human input normalise it first (see the
 * recovery codes).
 *
 * <p>Security guarantees: decoding never echoes its input in an error message (the input is often a
 * secret); the work done is linear in the input length.
 */
public final class Base32 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int BITS_PER_CHAR = 5;
    private static final int CHARS_PER_BLOCK = 8;

    private Base32() {}

    /** The unpadded upper-case base32 text of {@code data}. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + BITS_PER_CHAR - 1) / BITS_PER_CHAR);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= BITS_PER_CHAR) {
                out.append(ALPHABET[(buffer >>> (bits - BITS_PER_CHAR)) & 0x1f]);
                bits -= BITS_PER_CHAR;
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (BITS_PER_CHAR - bits)) & 0x1f]);
        }
        return out.toString();
    }

    /**
     * Decodes strict base32, with or without {@code =} padding.
     *
     * @throws IllegalArgumentException naming the rule broken and the position (never the text)
     */
    public static byte[] decode(CharSequence text) {
        int dataChars = dataLength(text);
        // Only these remainders are whole bytes: 8 chars = 5 bytes, and 2/4/5/7 chars = 1/2/3/4 bytes.
        int remainder = dataChars % CHARS_PER_BLOCK;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new IllegalArgumentException("base32: " + dataChars + " characters is not a whole number of bytes");
        }
        byte[] out = new byte[dataChars * BITS_PER_CHAR / 8];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        for (int i = 0; i < dataChars; i++) {
            int value = valueOf(text.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("base32: invalid character at position " + (i + 1));
            }
            buffer = (buffer << BITS_PER_CHAR) | value;
            bits += BITS_PER_CHAR;
            if (bits >= 8) {
                out[written++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0) {
            throw new IllegalArgumentException("base32: the last character has non-zero unused bits (not a canonical encoding)");
        }
        return out;
    }

    /** The number of data characters, after checking that any padding is exactly what RFC 4648 requires. */
    private static int dataLength(CharSequence text) {
        int length = text.length();
        int firstPad = length;
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) == '=') {
                firstPad = i;
                break;
            }
        }
        if (firstPad == length) {
            return length;
        }
        for (int i = firstPad; i < length; i++) {
            if (text.charAt(i) != '=') {
                throw new IllegalArgumentException("base32: data after padding at position " + (i + 1));
            }
        }
        int padding = length - firstPad;
        int expected = switch (firstPad % CHARS_PER_BLOCK) {
            case 2 -> 6;
            case 4 -> 4;
            case 5 -> 3;
            case 7 -> 1;
            default -> -1;
        };
        if (padding != expected || length % CHARS_PER_BLOCK != 0) {
            throw new IllegalArgumentException("base32: wrong padding");
        }
        return firstPad;
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
