package dev.capsule.server.releases.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The releases API's problem types (listed in docs/server.md and docs/releases.md). */
final class ReleaseProblems {
    /** Nothing has been released yet, so the release log has no checkpoint. */
    static final ProblemType LOG_EMPTY = new ProblemType("release-log-empty", HttpStatus.NOT_FOUND, "The release log has no checkpoint yet");
    /** A size, index or range beyond the entries the release log holds now. */
    static final ProblemType BEYOND_LOG = new ProblemType("release-beyond-log", HttpStatus.BAD_REQUEST, "The request reaches beyond the release log");
    /** The mini-program has no released version (for this user), or the version named was never released. */
    static final ProblemType NOT_RELEASED = new ProblemType("release-not-found", HttpStatus.NOT_FOUND, "No such release");
    /** The version a user would be served is revoked (the kill switch). */
    static final ProblemType REVOKED = new ProblemType("release-revoked", HttpStatus.GONE, "The release is revoked");
    /** A rollout, rollback, revocation or minimum-runtime change that the current state does not allow. */
    static final ProblemType STATE_CONFLICT = new ProblemType("release-state-conflict", HttpStatus.CONFLICT,
            "The release's state does not allow this change");

    private ReleaseProblems() {
    }
}
