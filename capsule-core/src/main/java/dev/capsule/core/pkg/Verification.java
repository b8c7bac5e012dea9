package dev.capsule.core.pkg;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link PackageVerifier#verify}: exactly one of verified or rejected. */
public sealed interface Verification {

    /**
     * The package is intact and carries valid signatures by trusted keys.
     *
     * @param trusted the signatures that verified under a trusted key
     * @param untrusted signatures by keys the policy does not know (not checked, not relied on)
     */
    record Verified(CapsulePackage pkg, List<PackageSignature> trusted, List<PackageSignature> untrusted) implements Verification {
        public Verified {
            Objects.requireNonNull(pkg, "pkg");
            trusted = List.copyOf(trusted);
            untrusted = List.copyOf(untrusted);
            if (trusted.isEmpty()) {
                throw new IllegalArgumentException("a verified package has at least one trusted signature");
            }
        }
    }

    /** The package must not be used; {@code message} is one line naming what failed. */
    record Rejected(Reason reason, String message) implements Verification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
