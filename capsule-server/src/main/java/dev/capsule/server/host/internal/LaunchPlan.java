package dev.capsule.server.host.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.runtime.SessionPolicy;
import java.util.Objects;

/** What a session is started from: a verified release (the shell) or an unsigned directory ({@code capsule dev}). */
public sealed interface LaunchPlan {
    CatalogueEntry entry();

    /**
     * A release the server verified with core's {@code ReleaseVerifier} against its own platform trust, run under
     * the policy of its risk profile.
     */
    record Released(CatalogueEntry entry, ReleaseOutcome.Verified release, SessionPolicy policy) implements LaunchPlan {
        public Released {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(release, "release");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** The development preview's package, built from the watched directory; never signed, never on a shared server. */
    record Preview(CatalogueEntry entry, CapsulePackage pkg) implements LaunchPlan {
        public Preview {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(pkg, "pkg");
        }
    }
}
