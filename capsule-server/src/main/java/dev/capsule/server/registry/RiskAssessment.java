package dev.capsule.server.registry;

import dev.capsule.core.release.RiskProfile;
import java.time.Instant;
import java.util.Objects;

/**
 * The risk assessment stored with an approved version: the reviewer's answers to the {@link RiskQuestionnaire}, the
 * profile they derive, the profile approved (the release's preset) and, when it is above the derived one, the
 * reviewer's reason for raising it.
 *
 * <p>Security guarantees: {@code approved} is never below {@code derived} ({@link RiskQuestionnaire#permits}) and
 * {@code derived} is the questionnaire's own derivation; a raise always has a reason, an unraised profile none.
 *
 * @param raiseReason the reviewer's text (escape it wherever printed), or null when approved equals derived
 */
public record RiskAssessment(PackageVersionId version, RiskQuestionnaire answers, RiskProfile derived, RiskProfile approved,
                             String raiseReason, String assessedBy, Instant assessedAt) {
    public RiskAssessment {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(derived, "derived");
        Objects.requireNonNull(approved, "approved");
        Objects.requireNonNull(assessedBy, "assessedBy");
        Objects.requireNonNull(assessedAt, "assessedAt");
        if (derived != answers.derivedProfile()) {
            throw new IllegalArgumentException("the derived profile is the questionnaire's derivation");
        }
        if (!answers.permits(approved)) {
            throw new IllegalArgumentException("the approved profile is below the derived one");
        }
        if ((approved != derived) != (raiseReason != null)) {
            throw new IllegalArgumentException("a raised profile has a reason, an unraised one none");
        }
    }

    /** Whether the reviewer raised the profile above the derived one. */
    public boolean raised() {
        return approved != derived;
    }
}
