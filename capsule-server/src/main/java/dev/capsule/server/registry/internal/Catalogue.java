package dev.capsule.server.registry.internal;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.PackageVersionId;
import dev.capsule.server.registry.RiskAssessment;
import dev.capsule.server.registry.RiskAssessments;
import dev.capsule.runtime.review.PackageReview;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Reading the registry: submissions, one version with its stored package and reports, the diff against the
 * previous approved version, its risk assessment and minimization report; {@link ApprovedPackages} and
 * {@link RiskAssessments} for the releases module.
 *
 * <p>Security guarantees: an API key bound to an organisation sees that organisation's versions only (others
 * answer 404, as if absent); {@link ApprovedPackages} answers approved versions only.
 */
@Service
class Catalogue implements ApprovedPackages, RiskAssessments {
    static final int PAGE_SIZE_MAX = 200;
    static final int PAGE_SIZE_DEFAULT = 50;

    private final VersionStore versions;
    private final OrganisationStore organisations;
    private final AssessmentStore assessments;

    Catalogue(VersionStore versions, OrganisationStore organisations, AssessmentStore assessments) {
        this.versions = versions;
        this.organisations = organisations;
        this.assessments = assessments;
    }

    @Override
    public Optional<RiskAssessment> ofRelease(MiniProgramId app, String version) {
        return assessments.ofApproved(app, version);
    }

    /** The version's risk assessment; empty while in review, when rejected, or when approved before assessments existed. */
    Optional<RiskAssessment> assessment(StoredVersion version) {
        return assessments.find(version.id());
    }

    /**
     * The version's minimization report (JSON {@code capsule-minimization/1}): as stored at upload, or, for a version
     * uploaded before reports were stored, derived from its stored package by the same analysis (deterministic: the
     * same package gives the same bytes).
     */
    byte[] minimizationJson(StoredVersion version) {
        return assessments.minimization(version.id())
                .orElseGet(() -> AutomatedReview.minimization(PackageReview.analyse(pkg(version.id()))));
    }

    @Override
    public Optional<Developer> developerOf(MiniProgramId app) {
        return organisations.owner(app).flatMap(organisations::find)
                .map(organisation -> new Developer(organisation.legalName(), organisation.verified()));
    }

    List<StoredVersion> page(Actor reader, Optional<VersionState> state, Optional<PackageVersionId> after, int limit) {
        if (limit < 1 || limit > PAGE_SIZE_MAX) {
            throw Organisations.invalid("limit", "must be from 1 to " + PAGE_SIZE_MAX);
        }
        return versions.page(state, reader.bound(), after, limit);
    }

    StoredVersion version(Actor reader, PackageVersionId id) {
        return versions.find(id).filter(v -> reader.bound().isEmpty() || reader.bound().get().equals(v.organisation()))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "there is no package version " + id));
    }

    CapsulePackage pkg(PackageVersionId id) {
        try {
            return PackageReader.read(versions.packageBytes(id), PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            throw new IllegalStateException("stored package " + id + " no longer reads: " + e.getMessage(), e);
        }
    }

    byte[] findingsJson(StoredVersion version) {
        return versions.findingsJson(version.id());
    }

    byte[] findingsHtml(StoredVersion version) {
        return versions.findingsHtml(version.id());
    }

    byte[] sbomJson(StoredVersion version) {
        return versions.sbomJson(version.id());
    }

    /** The approved version this one is compared with: the highest approved version below it, if any. */
    Optional<StoredVersion> base(StoredVersion version) {
        SemanticVersion self = SemanticVersion.parse(version.version());
        return versions.approved(version.app()).stream()
                .filter(v -> SemanticVersion.parse(v.version()).isLowerThan(self))
                .max(Comparator.comparing(v -> SemanticVersion.parse(v.version())));
    }

    PackageDiff diff(StoredVersion version) {
        return PackageDiff.of(base(version).map(b -> pkg(b.id())), pkg(version.id()));
    }

    @Override
    public Optional<ApprovedPackage> find(PackageVersionId id) {
        return versions.find(id).filter(v -> v.state() == VersionState.APPROVED).map(v -> {
            DeveloperKey key = organisations.key(v.developerKeyId()).orElseThrow(() ->
                    new IllegalStateException("approved version " + id + " names an unknown developer key"));
            return new ApprovedPackage(v.id(), v.app(), v.version(), versions.packageBytes(id), v.digestManifestSha256(), key.key(),
                    v.sbomSha256(), v.findingsSha256(), v.preset(), v.decidedAt());
        });
    }

    @Override
    public List<ApprovedVersion> approvedVersions(MiniProgramId app) {
        return versions.approved(app).stream()
                .sorted(Comparator.comparing(v -> SemanticVersion.parse(v.version())))
                .map(v -> new ApprovedVersion(v.id(), v.version(), v.preset(), v.decidedAt()))
                .toList();
    }
}
