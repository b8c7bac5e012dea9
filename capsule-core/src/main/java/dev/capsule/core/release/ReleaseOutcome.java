package dev.capsule.core.release;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import java.util.Objects;

/** What {@link ReleaseVerifier} concluded about a release bundle: launch it, or why not. */
public sealed interface ReleaseOutcome {
    /**
     * Every check passed.
     *
     * @param pkg the package, developer-signed and platform-countersigned
     * @param entry its release entry, included in {@code checkpoint} (its {@code preset} is the risk profile to enforce)
     * @param checkpoint the verified, fresh checkpoint
     * @param newState what the client must store (atomically) before launching
     */
    record Verified(CapsulePackage pkg, ReleaseEntry.Release entry, Checkpoint checkpoint, ReleaseClientState newState) implements ReleaseOutcome {
        public Verified {
            Objects.requireNonNull(pkg, "pkg");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(newState, "newState");
        }
    }

    /** The bundle must not be launched; {@code message} is one line for a user. */
    record Rejected(Reason reason, String message) implements ReleaseOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            // Messages quote what the server sent (origins, versions): escaped once here, safe wherever printed.
            message = SafeText.escape(Objects.requireNonNull(message, "message"));
        }
    }

    /** Why a bundle was refused, in the order the checks run; {@link #code()} is stable (docs/releases.md). */
    enum Reason {
        /** The checkpoint is malformed or not signed by a {@code release-checkpoint} key of the trust file. */
        CHECKPOINT_SIGNATURE("checkpoint-signature"),
        /** The checkpoint is of another log than the trust file's origin. */
        CHECKPOINT_ORIGIN("checkpoint-origin"),
        /** The checkpoint has no time, is older than the maximum age (freeze), older than the one stored, or from the future. */
        CHECKPOINT_STALE("checkpoint-stale"),
        /** Same size as the stored checkpoint but another root: the log shows different histories to different clients. */
        SPLIT_VIEW("split-view"),
        /** Smaller than the stored checkpoint, or no valid consistency proof from it. */
        INCONSISTENT("inconsistent-log"),
        /** The entry (or the rollback entry) is not in the log at the index given: forged or omitted. */
        NOT_INCLUDED("entry-not-included"),
        /** The entry is not a release entry of this app, version, package digest and developer key. */
        ENTRY_MISMATCH("entry-mismatch"),
        /** The package archive is not a valid package. */
        PACKAGE_INVALID("package-invalid"),
        /** No valid developer signature by the key the entry names, bound to the app id. */
        DEVELOPER_SIGNATURE("developer-signature"),
        /** No valid platform countersignature by a {@code package-countersignature} key. */
        PLATFORM_SIGNATURE("platform-countersignature"),
        /** A version lower than one already seen, without an included rollback entry for it. */
        ROLLBACK("rollback");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
