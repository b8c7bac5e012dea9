package dev.capsule.runtime.release;

import dev.capsule.core.text.SafeText;
import java.util.Objects;

/**
 * A release that cannot be launched, with a stable {@link #code()} and one line for a user: the verifier's
 * reason code ({@code split-view}, {@code checkpoint-stale}, {@code rollback}, … as core's
 * {@code ReleaseOutcome.Reason}), {@value #UNREACHABLE} (the platform could not be asked, or answered with an
 * error), {@value #MALFORMED} (its answer is not a release bundle) or {@value #STATE} (the client state file
 * cannot be read or written: never reset silently, which would undo rollback protection).
 */
public final class ReleaseException extends Exception {
    private static final long serialVersionUID = 1L;
    public static final String UNREACHABLE = "unreachable";
    public static final String MALFORMED = "malformed";
    public static final String STATE = "state";

    private final String code;

    public ReleaseException(String code, String message) {
        super(SafeText.escape(message));
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The stable reason code. */
    public String code() {
        return code;
    }
}
