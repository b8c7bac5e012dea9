package dev.capsule.core.release;

import dev.capsule.core.text.SafeText;
import java.util.Objects;

/** What {@link RevocationList#verify} concluded: a list to act on, or why not (each check its own reason). */
public sealed interface RevocationOutcome {
    /** A valid, fresh list of the trusted platform. */
    record Verified(RevocationList list) implements RevocationOutcome {
        public Verified {
            Objects.requireNonNull(list, "list");
        }
    }

    /** The list must not be used; {@code message} is one line for a user. */
    record Rejected(Reason reason, String message) implements RevocationOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            // Messages quote what the server sent (origins, versions): escaped once here, safe wherever printed.
            message = SafeText.escape(Objects.requireNonNull(message, "message"));
        }
    }

    /** Why a revocation list was refused; {@link #code()} is stable. */
    enum Reason {
        /** Not a DSSE envelope of the revocation payload type, or a malformed payload. */
        MALFORMED("malformed"),
        /** No valid signature by a {@code revocation-list} key of the trust file. */
        SIGNATURE("signature"),
        /** A list for another release log (another platform installation). */
        ORIGIN("origin"),
        /** Lower sequence than one already seen. */
        SEQUENCE_ROLLBACK("sequence-rollback"),
        /** Past its {@code expires} time. */
        EXPIRED("expired"),
        /** Issued longer ago than the maximum age, or in the future. */
        TOO_OLD("too-old"),
        /** This runtime's version is below the platform's minimum. */
        RUNTIME_BELOW_MINIMUM("runtime-below-minimum");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    static Rejected reject(Reason reason, String message) {
        return new Rejected(reason, "revocation list refused: " + message);
    }
}
