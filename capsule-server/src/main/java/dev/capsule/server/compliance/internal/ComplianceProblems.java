package dev.capsule.server.compliance.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The compliance module's problem types (docs/compliance.md). */
final class ComplianceProblems {
    /**
     * The controller's name or contact is not configured: no record of processing is generated rather than one naming
     * nobody, or somebody invented (fail closed). An operator sets both and restarts.
     */
    static final ProblemType CONTROLLER_UNSET = new ProblemType("processing-controller-unset", HttpStatus.SERVICE_UNAVAILABLE,
            "The records of processing need the controller's name and contact");

    private ComplianceProblems() {
    }
}
