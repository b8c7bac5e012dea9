package dev.capsule.server.registry;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * The problem types of the registry module (docs/registry.md lists each with the rule it names). An upload
 * refused with any of them stored nothing. Separation-of-duties refusals use the access module's
 * {@code separation-of-duties} type.
 */
public final class RegistryProblems {
    /** The upload is not a readable package: core's structural, limit or manifest checks failed ({@code reason} says which). */
    public static final ProblemType PACKAGE_INVALID = new ProblemType("package-invalid", HttpStatus.BAD_REQUEST,
            "The package fails the package format checks");
    /**
     * No valid developer signature by an unrevoked key the owning organisation registered, or a signature
     * that does not verify ({@code reason}: unsigned, untrusted, bad-signature, role-missing, ...).
     */
    public static final ProblemType PACKAGE_NOT_DEVELOPER_SIGNED = new ProblemType("package-not-developer-signed",
            HttpStatus.BAD_REQUEST, "The package is not signed by a registered key of its organisation");
    /** The mini-program id is registered to no organisation, or to another one than the caller acts for. */
    public static final ProblemType MINI_PROGRAM_NOT_YOURS = new ProblemType("mini-program-not-yours",
            HttpStatus.FORBIDDEN, "The mini-program id does not belong to your organisation");
    /** The organisation has not been verified by an operator yet. */
    public static final ProblemType ORGANISATION_NOT_VERIFIED = new ProblemType("organisation-not-verified",
            HttpStatus.FORBIDDEN, "The developer organisation is not verified");
    /** The version was uploaded before: versions are immutable. */
    public static final ProblemType VERSION_EXISTS = new ProblemType("version-exists", HttpStatus.CONFLICT,
            "This version was already uploaded");
    /** The version is not higher (semantic version order) than every version uploaded before. */
    public static final ProblemType VERSION_NOT_INCREASING = new ProblemType("version-not-increasing",
            HttpStatus.CONFLICT, "Versions must increase");
    /** Another version of the mini-program is still in review. */
    public static final ProblemType REVIEW_IN_PROGRESS = new ProblemType("review-in-progress", HttpStatus.CONFLICT,
            "Another version of this mini-program is in review");
    /** The version is not in review any more (approved or rejected): a decision is final. */
    public static final ProblemType VERSION_DECIDED = new ProblemType("version-decided", HttpStatus.CONFLICT,
            "The version was already decided");
    /** A critical finding blocks approval and no security officer recorded an exception for it. */
    public static final ProblemType CRITICAL_FINDING = new ProblemType("critical-finding", HttpStatus.CONFLICT,
            "A critical finding blocks approval");
    /** Registering something that exists (an organisation's mini-program id, a key, a member). */
    public static final ProblemType ALREADY_REGISTERED = new ProblemType("already-registered", HttpStatus.CONFLICT,
            "Already registered");
    /** Suspending an organisation that is suspended, or lifting a suspension that is not in force. */
    public static final ProblemType SUSPENSION_STATE = new ProblemType("suspension-state", HttpStatus.CONFLICT,
            "The organisation's suspension is not in a state that allows this");
    /** The developer key is revoked already. */
    public static final ProblemType DEVELOPER_KEY_REVOKED = new ProblemType("developer-key-revoked", HttpStatus.CONFLICT,
            "The developer key is revoked");

    /**
     * Approval with a risk profile below the one the risk questionnaire derives ({@code derived}), or {@code internal}
     * for a mini-program whose users are not the operator's staff.
     */
    public static final ProblemType RISK_PROFILE_BELOW_ASSESSMENT = new ProblemType("risk-profile-below-assessment",
            HttpStatus.CONFLICT, "The risk profile is below the risk assessment");
    /** The questionnaire's answers contradict the package: no personal data answered, but capsule.json declares some. */
    public static final ProblemType RISK_ASSESSMENT_INCONSISTENT = new ProblemType("risk-assessment-inconsistent",
            HttpStatus.CONFLICT, "The risk assessment contradicts the package");

    /**
     * The automated review could not run (no advisory source, or it could not answer): the upload is refused
     * rather than stored without its review (fail closed). Try again later.
     */
    public static final ProblemType REVIEW_UNAVAILABLE = new ProblemType("review-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "The automated review is not available");

    private RegistryProblems() {
    }
}
