package dev.capsule.core.auth.recovery;

import dev.capsule.core.crypto.Sha256;
import java.util.Objects;

/** What {@link RecoveryCodes#verify} decided. Callers switch over it exhaustively. */
public sealed interface RecoveryOutcome {

    /**
     * The code is one of the operator's unused codes. The caller must delete {@code storedHash}
     * atomically with the login (for example {@code DELETE ... WHERE hash = ?} and proceed only if one
     * row was deleted), which is what makes each code usable once.
     */
    record Matched(Sha256 storedHash) implements RecoveryOutcome {
        public Matched {
            Objects.requireNonNull(storedHash, "storedHash");
        }
    }

    /** The code was refused. The reason is for the audit log only; show every user the same message. */
    record Rejected(Reason reason) implements RecoveryOutcome {}

    enum Reason {
        /** Not 16 base32 characters after dropping dashes and spaces and ignoring case. */
        MALFORMED,
        /** Well-formed, but not one of the stored codes (never issued, or already used). */
        NO_MATCH
    }
}
