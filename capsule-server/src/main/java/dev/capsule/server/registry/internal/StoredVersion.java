package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.PackageVersionId;
import java.time.Instant;
import java.util.Objects;

/**
 * A version row without its large columns (package, reports): what lists and decisions need. The blobs
 * are read one version at a time ({@link VersionStore#packageBytes} and friends).
 */
record StoredVersion(PackageVersionId id, MiniProgramId app, OrganisationId organisation, String version, VersionState state,
                     Sha256 packageSha256, Sha256 digestManifestSha256, String developerKeyId, Sha256 findingsSha256,
                     Sha256 sbomSha256, int criticalFindings, String submittedBy, Instant submittedAt, String decidedBy,
                     Instant decidedAt, String decisionReason, RiskProfile preset, PolicyException exception) {
    StoredVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(state, "state");
    }

    /** A security officer's exception to the critical-finding rule. */
    record PolicyException(String recordedBy, Instant recordedAt, String reason) {
    }
}
