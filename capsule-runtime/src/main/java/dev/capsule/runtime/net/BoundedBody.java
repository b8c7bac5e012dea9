package dev.capsule.runtime.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a response body with a cap: at most cap + 1 bytes are ever read from the stream and at
 * most cap are held, so a huge or endless body costs no more than the cap. A declared length over
 * the cap fails before anything is read.
 */
final class BoundedBody {
    private static final int CHUNK_BYTES = 16 * 1024;

    private BoundedBody() {}

    /**
     * The whole stream, if it has at most {@code capBytes} bytes.
     *
     * @param declaredLength the Content-Length, or a negative number if unknown (chunked, or decoded from gzip)
     * @throws RequestRefused RESPONSE_TOO_LARGE as soon as the declared length or the bytes read
     *     exceed the cap; BAD_RESPONSE if the body disagrees with its declared length
     */
    static byte[] read(InputStream in, long declaredLength, int capBytes, String host) throws IOException, RequestRefused {
        if (declaredLength > capBytes) {
            throw tooLarge(host, capBytes);
        }
        return declaredLength >= 0 ? readDeclared(in, (int) declaredLength, host) : readUnknown(in, capBytes, host);
    }

    /** Straight into an array of the declared size: one allocation, no copies. */
    private static byte[] readDeclared(InputStream in, int length, String host) throws IOException, RequestRefused {
        byte[] body = new byte[length];
        if (in.readNBytes(body, 0, length) < length || in.read() != -1) {
            throw new RequestRefused(FailureKind.BAD_RESPONSE, "response from " + host + " does not match its Content-Length");
        }
        return body;
    }

    private static byte[] readUnknown(InputStream in, int capBytes, String host) throws IOException, RequestRefused {
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK_BYTES);
        byte[] chunk = new byte[CHUNK_BYTES];
        long total = 0;
        while (true) {
            // Never ask for more than one byte past the cap: that byte is the proof it is too large.
            int wanted = (int) Math.min(chunk.length, capBytes + 1L - total);
            int n = in.read(chunk, 0, wanted);
            if (n < 0) {
                return out.toByteArray();
            }
            total += n;
            if (total > capBytes) {
                throw tooLarge(host, capBytes);
            }
            out.write(chunk, 0, n);
        }
    }

    private static RequestRefused tooLarge(String host, int capBytes) {
        return new RequestRefused(FailureKind.RESPONSE_TOO_LARGE, "response from " + host + " is larger than " + capBytes + " bytes");
    }
}
