package dev.capsule.server.payments.internal.idempotency;

import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What makes two requests "the same" for {@link IdempotentRequests}: the method, the path and the SHA-256 of the
 * body's bytes. The one way every endpoint builds its fingerprint, so two endpoints never disagree on it.
 */
public final class RequestFingerprint {
    private RequestFingerprint() {
    }

    /** {@code METHOD path sha256-hex(body)}; the body is the exact bytes received (an absent body is empty). */
    public static String of(String method, String path, byte[] body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        return method + " " + path + " " + Sha256.of(body == null ? new byte[0] : body).hex();
    }

    /** The same, for a body the caller holds as text (encoded as UTF-8). */
    public static String of(String method, String path, String body) {
        return of(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }
}
