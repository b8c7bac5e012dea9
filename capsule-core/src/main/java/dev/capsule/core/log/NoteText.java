package dev.capsule.core.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Shared rules of the C2SP signed-note family: strict UTF-8, key names, canonical standard base64. */
final class NoteText {
    private NoteText() {}

    /** Decodes strict UTF-8 (malformed bytes are an error, never replaced). */
    static String utf8(byte[] bytes, String what) throws LogFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LogFormatException(what + ": not valid UTF-8");
        }
    }

    /** C2SP signed-note: a key name is non-empty, has no Unicode whitespace and no '+'. */
    static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('+') >= 0) {
            return false;
        }
        // Go's unicode.IsSpace also counts U+0085 (a C1 control): rejecting every control character covers it.
        return name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.CONTROL);
    }

    static String requireKeyName(String name, String what) {
        if (!isValidKeyName(name)) {
            throw new IllegalArgumentException(what + " must be non-empty, without spaces or '+'");
        }
        return name;
    }

    /** Decodes standard base64 with padding, accepting only its canonical form (what re-encoding gives back). */
    static byte[] base64(String text, String what) throws LogFormatException {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new LogFormatException(what + ": not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
            throw new LogFormatException(what + ": not canonical standard base64 (with padding)");
        }
        return decoded;
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }
}
