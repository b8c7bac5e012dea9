package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSignature;
import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.PackageVersionId;
import dev.capsule.server.registry.RegistryEvent;
import dev.capsule.server.registry.RegistryProblems;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Uploads ({@code POST /api/v1/packages}): each rule in the order a developer can fix them, then the automated
 * review, then one transaction that re-checks the version rules under a lock on the mini-program and stores
 * the version with its review. Every refusal is audited ({@code package.submit}, failure, the problem type).
 *
 * <p>Security guarantees: a version is stored only if (1) the archive passes core's package checks at the
 * default limits; (2) its app id is registered to an organisation, the one the caller acts for (an API key
 * bound to it, or an operator who is its member); (3) that organisation is verified and not suspended (an incident
 * response: {@code organisation-suspended}); (4) it is developer-signed by an unrevoked key of that organisation and carries no other signature
 * ({@link DeveloperSignature}); (5) its version was never uploaded and is higher (SemVer precedence) than every
 * earlier upload of the app; (6) no other version of the app is in review; (7) the automated review ran
 * completely. Refused uploads store nothing.
 */
@Service
class Submissions {
    /** The largest upload the endpoint reads (the platform's body limit for this one path); core's archive limit applies within. */
    static final long UPLOAD_BYTES_MAX = 20L * 1024 * 1024;

    private final OrganisationStore organisations;
    private final Suspensions suspensions;
    private final VersionStore versions;
    private final AssessmentStore assessments;
    private final DeveloperSignature signatures;
    private final AutomatedReview review;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock = Clock.systemUTC();

    Submissions(OrganisationStore organisations, Suspensions suspensions, VersionStore versions, AssessmentStore assessments,
            DeveloperSignature signatures, AutomatedReview review, ApplicationEventPublisher events, TransactionTemplate transaction) {
        this.organisations = organisations;
        this.suspensions = suspensions;
        this.versions = versions;
        this.assessments = assessments;
        this.signatures = signatures;
        this.review = review;
        this.events = events;
        this.transaction = transaction;
    }

    StoredVersion submit(Actor actor, byte[] upload) {
        MiniProgramId app = null;
        OrganisationId owner = null;
        String detail = null;
        try {
            CapsulePackage pkg = read(upload);
            app = MiniProgramId.of(pkg.manifest().id());
            detail = "version " + pkg.manifest().version();
            owner = ownerFor(actor, app);
            OrganisationId organisation = owner;
            MiniProgramId id = app;
            if (suspensions.isSuspended(organisation)) {
                throw new ProblemException(AccessProblems.ORGANISATION_SUSPENDED, "organisation " + organisation
                        + " is suspended; its uploads are refused until an operator lifts the suspension");
            }
            Organisation registered = organisations.find(organisation).orElseThrow();
            if (!registered.verified()) {
                throw new ProblemException(RegistryProblems.ORGANISATION_NOT_VERIFIED, "organisation " + organisation
                        + " is not verified yet; an operator verifies it before its packages are accepted");
            }
            PackageSignature signature = signatures.require(pkg, organisation, id);
            SemanticVersion version = SemanticVersion.parse(pkg.manifest().version());
            checkVersion(id, version); // before the (slower) review; checked again under the lock
            AutomatedReview.Outcome outcome = review.review(pkg);
            String eventDetail = detail;
            return transaction.execute(status -> {
                versions.lockApp(id);
                checkVersion(id, version);
                PackageVersionId versionId = PackageVersionId.random();
                versions.insert(new VersionStore.NewVersion(versionId, id, version.text(), upload, Sha256.of(upload),
                        pkg.digestManifestSha256(), signature.keyId().hex(), outcome, actor.actorId(), now()));
                assessments.insertMinimization(versionId, outcome.minimizationJson());
                events.publishEvent(actor.event(RegistryEvent.Activity.PACKAGE_SUBMIT, organisation, id, eventDetail));
                return versions.find(versionId).orElseThrow();
            });
        } catch (ProblemException e) {
            events.publishEvent(actor.refused(RegistryEvent.Activity.PACKAGE_SUBMIT, owner, app, detail, e));
            throw e;
        }
    }

    private static CapsulePackage read(byte[] upload) {
        if (upload == null || upload.length == 0) {
            throw new ProblemException(RegistryProblems.PACKAGE_INVALID, "the request body is empty: send the .capsule file's bytes",
                    Map.of("reason", "empty"));
        }
        try {
            return PackageReader.read(upload, PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            throw new ProblemException(RegistryProblems.PACKAGE_INVALID,
                    dev.capsule.core.text.SafeText.escape(e.getMessage(), 500), Map.of("reason", e.reason().code()));
        }
    }

    /** The organisation that owns {@code app}, if the caller may submit for it. */
    private OrganisationId ownerFor(Actor actor, MiniProgramId app) {
        OrganisationId owner = organisations.owner(app).orElseThrow(() -> new ProblemException(
                RegistryProblems.MINI_PROGRAM_NOT_YOURS, "mini-program id " + app
                        + " is not registered to any organisation; an operator registers it for yours first"));
        if (actor.apiKey() != null) {
            OrganisationId bound = actor.bound().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN,
                    "this API key is not bound to a developer organisation, so it cannot submit packages"));
            if (!bound.equals(owner)) {
                throw new ProblemException(RegistryProblems.MINI_PROGRAM_NOT_YOURS,
                        "mini-program id " + app + " belongs to another organisation than this API key's");
            }
        } else if (!organisations.isMember(owner, actor.operator())) {
            throw new ProblemException(RegistryProblems.MINI_PROGRAM_NOT_YOURS,
                    "mini-program id " + app + " belongs to an organisation you are not a member of");
        }
        return owner;
    }

    private void checkVersion(MiniProgramId app, SemanticVersion version) {
        SemanticVersion highest = null;
        for (String earlier : versions.versionsOf(app)) {
            if (earlier.equals(version.text())) {
                throw new ProblemException(RegistryProblems.VERSION_EXISTS, app + " " + version.text()
                        + " was uploaded before; versions are immutable, raise the version");
            }
            SemanticVersion parsed = SemanticVersion.parse(earlier);
            if (highest == null || parsed.compareTo(highest) > 0) {
                highest = parsed;
            }
        }
        if (highest != null && version.compareTo(highest) <= 0) {
            throw new ProblemException(RegistryProblems.VERSION_NOT_INCREASING, app + " " + version.text()
                    + " is not higher than " + highest.text() + ", the highest version uploaded so far",
                    Map.of("highest", highest.text()));
        }
        if (versions.inReview(app)) {
            throw new ProblemException(RegistryProblems.REVIEW_IN_PROGRESS, "another version of " + app
                    + " is in review; it must be approved or rejected first");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
