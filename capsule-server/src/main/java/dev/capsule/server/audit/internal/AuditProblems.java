package dev.capsule.server.audit.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The audit API's problem types (listed in docs/server.md). */
final class AuditProblems {
    /** No entry has been sequenced and signed yet, so there is no checkpoint to show. */
    static final ProblemType LOG_EMPTY =
            new ProblemType("audit-log-empty", HttpStatus.NOT_FOUND, "The audit log has no checkpoint yet");
    /** A size, index or range beyond the entries the log holds now. */
    static final ProblemType BEYOND_LOG =
            new ProblemType("audit-beyond-log", HttpStatus.BAD_REQUEST, "The request reaches beyond the audit log");
    /** No entry of the tree at the given size has that leaf hash. */
    static final ProblemType LEAF_NOT_FOUND =
            new ProblemType("audit-leaf-not-found", HttpStatus.NOT_FOUND, "No audit entry has that leaf hash");

    private AuditProblems() {
    }
}
