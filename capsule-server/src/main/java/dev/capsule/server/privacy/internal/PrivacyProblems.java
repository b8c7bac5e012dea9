package dev.capsule.server.privacy.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The privacy module's problem types (docs/privacy.md, docs/server.md). */
final class PrivacyProblems {
    /** Only a signed-in operator files a request for a person (the filing is theirs, in the audit log); API keys may not. */
    static final ProblemType OPERATOR_ONLY = new ProblemType("privacy-request-operator-only", HttpStatus.FORBIDDEN,
            "Only a signed-in operator files a data-subject request for a person");

    private PrivacyProblems() {
    }
}
