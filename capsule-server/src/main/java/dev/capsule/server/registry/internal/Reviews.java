package dev.capsule.server.registry.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.SeparationOfDuties;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.PackageApproved;
import dev.capsule.server.registry.PackageVersionId;
import dev.capsule.server.registry.RegistryEvent;
import dev.capsule.server.registry.RegistryProblems;
import dev.capsule.server.registry.RiskAssessment;
import dev.capsule.server.registry.RiskQuestionnaire;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The human decision on a version in review: approve (with the risk questionnaire's answers, the profile they derive
 * or a higher one with a reason, stored as the version's {@link RiskAssessment}) or reject, each with a reason, and
 * a security officer's policy exception for a critical finding. Each runs in one transaction that locks the
 * version; approval publishes {@link PackageApproved} inside it, so the releases module's countersigning and
 * log append commit or roll back with it. Refusals are audited after the rollback.
 *
 * <p>Security guarantees (separation of duties, all refused with {@code separation-of-duties}): nobody decides
 * on, or records an exception for, a version of an organisation they are a member of; the submitter never
 * decides on their own submission; the approver is not the security officer who recorded the exception. A
 * version with a critical finding is approved only with an exception on record. The developer signature is
 * checked again at approval against the organisation's keys as they are now (a key revoked since the upload
 * refuses the approval). A decision is final. The approved risk profile is never below the one the questionnaire
 * derives ({@code risk-profile-below-assessment}), answers of no personal data for a package that declares some are
 * refused ({@code risk-assessment-inconsistent}), and the assessment is stored and audited in the approval's
 * transaction.
 */
@Service
class Reviews {
    static final int REASON_CHARS_MAX = 1_000;

    private final VersionStore versions;
    private final AssessmentStore assessments;
    private final OrganisationStore organisations;
    private final DeveloperSignature signatures;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock = Clock.systemUTC();

    Reviews(VersionStore versions, AssessmentStore assessments, OrganisationStore organisations, DeveloperSignature signatures,
            ApplicationEventPublisher events, TransactionTemplate transaction) {
        this.versions = versions;
        this.assessments = assessments;
        this.organisations = organisations;
        this.signatures = signatures;
        this.events = events;
        this.transaction = transaction;
    }

    /**
     * What a reviewer sends to approve, as typed (checked here, each refusal naming its field).
     *
     * @param data        {@link RiskQuestionnaire.DataSensitivity} code
     * @param users       {@link RiskQuestionnaire.UserBase} code
     * @param money       {@link RiskQuestionnaire.FinancialFeatures} code
     * @param preset      the risk profile approved; null or blank for the derived one
     * @param raiseReason why the profile is above the derived one (required then, refused otherwise)
     * @param reason      the approval's reason
     */
    record Approval(String data, String users, String money, String preset, String raiseReason, String reason) {
    }

    StoredVersion approve(Actor reviewer, PackageVersionId id, Approval approval) {
        return decide(reviewer, id, RegistryEvent.Activity.PACKAGE_APPROVE, () -> {
            RiskQuestionnaire answers = answers(approval);
            RiskProfile derived = answers.derivedProfile();
            RiskProfile preset = approval.preset() == null || approval.preset().isBlank() ? derived : preset(approval.preset());
            String why = reason(approval.reason());
            if (!answers.permits(preset)) {
                throw new ProblemException(RegistryProblems.RISK_PROFILE_BELOW_ASSESSMENT, preset == RiskProfile.INTERNAL
                        && answers.users() != RiskQuestionnaire.UserBase.OPERATOR_STAFF
                        ? "the internal profile is for mini-programs of the operator's own staff only; the assessment derives "
                                + derived.code()
                        : "the risk assessment derives " + derived.code() + "; a reviewer may raise the profile, never lower it",
                        Map.of("derived", derived.code()));
            }
            String raise = raiseReason(approval.raiseReason(), preset != derived);
            StoredVersion version = inReview(id);
            requireIndependent(reviewer, version, "approve");
            if (version.exception() != null) {
                SeparationOfDuties.requireDifferentActor(version.exception().recordedBy(), reviewer.actorId(),
                        "approve " + version.app() + " " + version.version() + " (you recorded its policy exception)");
            }
            if (version.criticalFindings() > 0 && version.exception() == null) {
                throw new ProblemException(RegistryProblems.CRITICAL_FINDING, version.app() + " " + version.version() + " has "
                        + version.criticalFindings() + " critical finding(s); a security officer must record an exception "
                        + "with a reason before it can be approved", Map.of("criticalFindings", version.criticalFindings()));
            }
            CapsulePackage pkg = read(id);
            signatures.require(pkg, version.organisation(), version.app());
            requireConsistent(answers, pkg);
            Instant now = now();
            if (!versions.approve(id, reviewer.actorId(), now, why, preset)) {
                throw decided(version);
            }
            assessments.insert(new RiskAssessment(id, answers, derived, preset, raise, reviewer.actorId(), now));
            events.publishEvent(reviewer.event(RegistryEvent.Activity.PACKAGE_APPROVE, version.organisation(), version.app(),
                    "version " + version.version() + " preset " + preset.code() + " derived " + derived.code() + " "
                            + answers.codes() + (raise != null ? " raised" : "")));
            events.publishEvent(new PackageApproved(id, version.app(), version.version(), reviewer.operator(), preset));
            return versions.find(id).orElseThrow();
        });
    }

    StoredVersion reject(Actor reviewer, PackageVersionId id, String reason) {
        return decide(reviewer, id, RegistryEvent.Activity.PACKAGE_REJECT, () -> {
            String why = reason(reason);
            StoredVersion version = inReview(id);
            requireIndependent(reviewer, version, "reject");
            if (!versions.reject(id, reviewer.actorId(), now(), why)) {
                throw decided(version);
            }
            events.publishEvent(reviewer.event(RegistryEvent.Activity.PACKAGE_REJECT, version.organisation(), version.app(),
                    "version " + version.version()));
            return versions.find(id).orElseThrow();
        });
    }

    StoredVersion recordException(Actor officer, PackageVersionId id, String reason) {
        return decide(officer, id, RegistryEvent.Activity.PACKAGE_EXCEPTION, () -> {
            String why = reason(reason);
            StoredVersion version = inReview(id);
            requireIndependent(officer, version, "record a policy exception for");
            if (version.criticalFindings() == 0) {
                throw new ProblemException(ProblemType.VALIDATION, "1 field is invalid", Map.of("errors", List.of(Map.of(
                        "field", "reason", "message", "this version has no critical finding: there is nothing to except"))));
            }
            if (!versions.recordException(id, officer.actorId(), now(), why)) {
                throw new ProblemException(RegistryProblems.ALREADY_REGISTERED, "an exception is already recorded for "
                        + version.app() + " " + version.version());
            }
            events.publishEvent(officer.event(RegistryEvent.Activity.PACKAGE_EXCEPTION, version.organisation(), version.app(),
                    "version " + version.version()));
            return versions.find(id).orElseThrow();
        });
    }

    /** Runs {@code work} in one transaction; a refusal rolls it back and is then audited on its own. */
    private StoredVersion decide(Actor actor, PackageVersionId id, RegistryEvent.Activity activity,
            java.util.function.Supplier<StoredVersion> work) {
        try {
            return transaction.execute(status -> work.get());
        } catch (ProblemException e) {
            var version = versions.find(id);
            events.publishEvent(actor.refused(activity, version.map(StoredVersion::organisation).orElse(null),
                    version.map(StoredVersion::app).orElse(null),
                    version.map(v -> "version " + v.version()).orElse(null), e));
            throw e;
        }
    }

    private StoredVersion inReview(PackageVersionId id) {
        StoredVersion version = versions.findForUpdate(id).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no package version " + id));
        if (version.state() != VersionState.IN_REVIEW) {
            throw decided(version);
        }
        return version;
    }

    /**
     * Separation of duties: not one's own submission, not one's own organisation's. Operators belong to an
     * organisation through the registry's member list (docs/registry.md), which operators with
     * {@code organisations.manage} keep.
     */
    private void requireIndependent(Actor actor, StoredVersion version, String duty) {
        String what = duty + " " + version.app() + " " + version.version();
        SeparationOfDuties.requireDifferentActor(version.submittedBy(), actor.actorId(), what + " (you submitted it)");
        if (organisations.isMember(version.organisation(), actor.operator())) {
            throw new ProblemException(AccessProblems.SEPARATION_OF_DUTIES, "another person must " + what
                    + ": you are a member of the organisation that submitted it", Map.of("duty", what));
        }
    }

    private CapsulePackage read(PackageVersionId id) {
        try {
            return PackageReader.read(versions.packageBytes(id), PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            throw new IllegalStateException("stored package " + id + " no longer reads: " + e.getMessage(), e);
        }
    }

    private static ProblemException decided(StoredVersion version) {
        return new ProblemException(RegistryProblems.VERSION_DECIDED, version.app() + " " + version.version() + " is "
                + version.state().code() + "; a decision is final", Map.of("state", version.state().code()));
    }

    /** A validation problem whose sentence names the field (the console shows the sentence). */
    private static ProblemException namedInvalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, field + ": " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    /** The answers from their codes; an unknown or missing code is a validation problem naming the field. */
    private static RiskQuestionnaire answers(Approval approval) {
        var data = RiskQuestionnaire.data(approval.data()).orElseThrow(() -> namedInvalid("risk.data",
                "must be one of " + codes(RiskQuestionnaire.DataSensitivity.values())));
        var users = RiskQuestionnaire.users(approval.users()).orElseThrow(() -> namedInvalid("risk.users",
                "must be one of " + codes(RiskQuestionnaire.UserBase.values())));
        var money = RiskQuestionnaire.money(approval.money()).orElseThrow(() -> namedInvalid("risk.money",
                "must be one of " + codes(RiskQuestionnaire.FinancialFeatures.values())));
        return new RiskQuestionnaire(data, users, money);
    }

    private static String codes(RiskQuestionnaire.Answer[] answers) {
        return String.join(", ", java.util.Arrays.stream(answers).map(RiskQuestionnaire.Answer::code).toList());
    }

    /**
     * The answers may not say "no personal data" for a package whose capsule.json declares personal data: the derived
     * profile would then be chosen on a false premise.
     */
    private static void requireConsistent(RiskQuestionnaire answers, CapsulePackage pkg) {
        if (answers.data() == RiskQuestionnaire.DataSensitivity.NONE && !pkg.manifest().privacy().isEmpty()) {
            throw new ProblemException(RegistryProblems.RISK_ASSESSMENT_INCONSISTENT, "the assessment answers no personal data, but "
                    + "capsule.json declares " + pkg.manifest().privacy().size() + " personal-data categor"
                    + (pkg.manifest().privacy().size() == 1 ? "y" : "ies"), Map.of("field", "risk.data"));
        }
    }

    /** Required (1-1000 printable characters) when the profile is raised; refused when it is not. */
    private static String raiseReason(String text, boolean raised) {
        boolean given = text != null && !text.isBlank();
        if (!raised) {
            if (given) {
                throw namedInvalid("raiseReason", "only when the risk profile is above the one the assessment derives");
            }
            return null;
        }
        if (!given || text.length() > REASON_CHARS_MAX
                || text.codePoints().anyMatch(c -> dev.capsule.core.text.SafeText.isUnsafe(c) && c != '\n')) {
            throw namedInvalid("raiseReason", "raising the risk profile above the derived one needs a reason of 1 to "
                    + REASON_CHARS_MAX + " printable characters");
        }
        return text.strip();
    }

    private static RiskProfile preset(String code) {
        try {
            return RiskProfile.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw Organisations.invalid("preset", e.getMessage());
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX
                || reason.codePoints().anyMatch(c -> dev.capsule.core.text.SafeText.isUnsafe(c) && c != '\n')) {
            throw Organisations.invalid("reason", "must be 1 to " + REASON_CHARS_MAX + " printable characters");
        }
        return reason.strip();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
