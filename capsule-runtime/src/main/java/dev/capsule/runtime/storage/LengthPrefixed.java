package dev.capsule.runtime.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An unambiguous encoding of a sequence of byte strings: each is a 4-byte big-endian length
 * followed by its bytes. Why: associated data and record layouts must never let two different
 * sequences encode alike, as plain concatenation does ({@code "ab"+"c"} and {@code "a"+"bc"}).
 */
final class LengthPrefixed {
    private static final int LENGTH_BYTES = 4;

    private LengthPrefixed() {}

    static byte[] encode(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size(parts));
        for (byte[] part : parts) {
            out.writeBytes(ByteBuffer.allocate(LENGTH_BYTES).putInt(part.length).array());
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Encodes strings as UTF-8; callers pass only well-formed strings (validated ids, labels). */
    static byte[] encode(String... parts) {
        byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(bytes);
    }

    /** Exactly {@code count} parts filling {@code data} with nothing left over, or empty. */
    static Optional<List<byte[]>> decode(byte[] data, int count) {
        ByteBuffer in = ByteBuffer.wrap(data);
        List<byte[]> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.remaining() < LENGTH_BYTES) {
                return Optional.empty();
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                return Optional.empty();
            }
            byte[] part = new byte[length];
            in.get(part);
            parts.add(part);
        }
        return in.hasRemaining() ? Optional.empty() : Optional.of(parts);
    }

    private static int size(byte[][] parts) {
        long total = 0;
        for (byte[] part : parts) {
            total += LENGTH_BYTES + (long) part.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("encoded parts too large");
        }
        return (int) total;
    }
}
