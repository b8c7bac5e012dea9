package dev.capsule.server.registry;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.release.RiskProfile;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Read access to approved package versions, for the releases module (countersigning, the release log
 * entry, distribution and rollback). Only versions whose approval committed are visible; a version
 * that is submitted, in review or rejected is never answered.
 *
 * <p>Security guarantees: {@link ApprovedPackage#packageBytes()} are exactly the bytes the developer uploaded
 * (developer-signed, checked against {@link ApprovedPackage#developerKey()} at upload and again at approval);
 * {@link ApprovedPackage#packageDigest()} is the SHA-256 of that package's digest manifest, the statement the
 * developer's signature covers.
 */
public interface ApprovedPackages {

    /** The approved version with this id; empty when there is none or it is not approved. */
    Optional<ApprovedPackage> find(PackageVersionId id);

    /** The approved versions of this mini-program, lowest semantic version first; empty when none. */
    List<ApprovedVersion> approvedVersions(MiniProgramId app);

    /**
     * The developer organisation that owns this mini-program id, as end users are shown it (the host's list and
     * navigation bar); empty when the id is not registered.
     */
    Optional<Developer> developerOf(MiniProgramId app);

    /**
     * A developer organisation as the shell names it.
     *
     * @param name     its legal name (registered by an operator; one line)
     * @param verified whether an operator verified the organisation
     */
    record Developer(String name, boolean verified) {
        public Developer {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * One approved version with everything a release needs.
     *
     * @param packageBytes   the .capsule file as uploaded (developer-signed; copied in and out)
     * @param packageDigest  SHA-256 of the package's digest manifest
     * @param developerKey   the organisation's registered key that signed it
     * @param sbomDigest     SHA-256 of the stored CycloneDX SBOM (JSON bytes)
     * @param findingsDigest SHA-256 of the stored findings report (JSON bytes)
     * @param preset         the risk profile the reviewer set
     */
    record ApprovedPackage(PackageVersionId id, MiniProgramId app, String version, byte[] packageBytes, Sha256 packageDigest,
                    VerifyingKey developerKey, Sha256 sbomDigest, Sha256 findingsDigest, RiskProfile preset, Instant approvedAt) {
        public ApprovedPackage {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(version, "version");
            packageBytes = packageBytes.clone();
            Objects.requireNonNull(packageDigest, "packageDigest");
            Objects.requireNonNull(developerKey, "developerKey");
            Objects.requireNonNull(sbomDigest, "sbomDigest");
            Objects.requireNonNull(findingsDigest, "findingsDigest");
            Objects.requireNonNull(preset, "preset");
            Objects.requireNonNull(approvedAt, "approvedAt");
        }

        @Override
        public byte[] packageBytes() {
            return packageBytes.clone();
        }

        @Override
        public String toString() {
            return "ApprovedPackage[" + app + " " + version + " " + id + ", " + packageBytes.length + " bytes]";
        }
    }

    /** One approved version in a listing. */
    record ApprovedVersion(PackageVersionId id, String version, RiskProfile preset, Instant approvedAt) {
        public ApprovedVersion {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(preset, "preset");
            Objects.requireNonNull(approvedAt, "approvedAt");
        }
    }
}
