package dev.capsule.runtime;

import dev.capsule.core.text.SafeText;
import java.util.Objects;

/**
 * A launch the runtime refuses before any guest code runs, with a stable {@link Reason} and a one-line
 * message for a user. Unchecked (an {@link IllegalStateException}: this runtime, as it is now, will not
 * start the session), so existing callers that report a failed launch in one line keep doing so.
 */
public final class LaunchRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why a launch was refused; {@link #code()} is stable. */
    public enum Reason {
        /** The package's capsule.json {@code minRuntime} is above this runtime's version. */
        RUNTIME_TOO_OLD("runtime-too-old"),
        /** The platform's minimum runtime version (its revocation list) is above this runtime's version. */
        RUNTIME_BELOW_PLATFORM_MINIMUM("runtime-below-platform-minimum"),
        /** The platform revoked this version of the mini-program. */
        REVOKED("revoked"),
        /** No revocation list verified within the maximum age: the kill switch may be unreachable (fail closed). */
        NO_FRESH_REVOCATION_LIST("no-fresh-revocation-list");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public LaunchRefusedException(Reason reason, String message) {
        super(SafeText.escape(message));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
