package dev.capsule.server.registry;

import java.util.Optional;

/**
 * The risk assessments of approved versions, for pages of other modules (the releases console shows a release's).
 *
 * <p>Security guarantees: read-only; answers only for versions whose approval committed.
 */
public interface RiskAssessments {
    /** The assessment of {@code app}'s approved {@code version}; empty when none (approved before assessments existed). */
    Optional<RiskAssessment> ofRelease(MiniProgramId app, String version);
}
