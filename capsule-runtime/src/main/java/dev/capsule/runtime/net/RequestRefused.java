package dev.capsule.runtime.net;

/**
 * Internal signal that a request ends in a {@link HttpOutcome.Failure}. It never leaves this
 * package: {@link GuardedHttpClient#send} turns it into an outcome. No stack trace is recorded,
 * because it is an expected result, not a bug.
 */
final class RequestRefused extends Exception {
    private final FailureKind kind;

    RequestRefused(FailureKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    FailureKind kind() {
        return kind;
    }

    HttpOutcome.Failure toFailure() {
        return new HttpOutcome.Failure(kind, getMessage());
    }
}
