package dev.capsule.runtime.storage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Exact UTF-8 conversions. Java's {@link String#getBytes} silently turns a lone surrogate into
 * {@code '?'}, which would store something other than what the caller gave; here such text is
 * refused instead, and decoding refuses malformed bytes rather than inserting U+FFFD.
 */
final class Utf8 {
    private Utf8() {}

    /** True if every surrogate in {@code text} is part of a pair. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The UTF-8 bytes of well-formed {@code text}; check with {@link #isWellFormed} first. */
    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
