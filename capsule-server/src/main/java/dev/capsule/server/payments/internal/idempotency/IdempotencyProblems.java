package dev.capsule.server.payments.internal.idempotency;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The problem types of {@link IdempotentRequests} (docs/payments.md, "Idempotency" and "Problem types"). */
public final class IdempotencyProblems {
    /** A POST without an {@code Idempotency-Key} header (or with an empty one). */
    public static final ProblemType KEY_MISSING = new ProblemType("idempotency-key-missing", HttpStatus.BAD_REQUEST,
            "An Idempotency-Key header is required");
    /** The key is longer than {@link IdempotentRequests#KEY_CHARS_MAX} or holds characters other than visible ASCII. */
    public static final ProblemType KEY_INVALID = new ProblemType("idempotency-key-invalid", HttpStatus.BAD_REQUEST,
            "The Idempotency-Key header is not a valid key");
    /** Another request with the same key is running right now (on any node); retry once it has answered. */
    public static final ProblemType KEY_IN_USE = new ProblemType("idempotency-key-in-use", HttpStatus.CONFLICT,
            "A request with this Idempotency-Key is in progress");
    /** The key was used within 24 hours for a request with another method, path or body. */
    public static final ProblemType KEY_REUSED = new ProblemType("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
            "This Idempotency-Key was used for a different request");

    private IdempotencyProblems() {
    }
}
