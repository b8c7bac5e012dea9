package dev.capsule.server.access.internal;

import dev.capsule.server.access.Permission;

/** What an endpoint demands of its caller. */
public sealed interface Requirement {

    /** Anyone, signed in or not: a public path of the platform or of a module. */
    record Public() implements Requirement {
    }

    /**
     * Any authenticated caller: a {@link dev.capsule.server.access.SelfService} endpoint, or one of
     * {@code EndpointRules.AUTHENTICATED_PATHS}.
     */
    record Authenticated() implements Requirement {
    }

    /**
     * Any authenticated operator (a person), never an API key: a {@link dev.capsule.server.access.SelfService}
     * endpoint with {@code operatorsOnly}, about the person's own account.
     */
    record Operator(StepUpRule stepUp) implements Requirement {
        public Operator {
            java.util.Objects.requireNonNull(stepUp, "stepUp");
        }
    }

    /** Callers holding the permission, and with {@code stepUp} a recent second factor. */
    record Needs(Permission permission, boolean stepUp) implements Requirement {
    }

    /**
     * When an operators-only endpoint needs step-up: never, always (enforced before the handler), or under a
     * condition the service checks through {@link dev.capsule.server.access.StepUp} (documented only).
     */
    record StepUpRule(boolean always, String when) {
        public static final StepUpRule NEVER = new StepUpRule(false, "");

        public StepUpRule {
            java.util.Objects.requireNonNull(when, "when");
        }
    }

    /** A server endpoint that declares nothing: refused for everyone (a defect the tests catch). */
    record Undeclared() implements Requirement {
    }

    /**
     * Outside the API's permission model: a path not under {@code /api/} (error pages, sign-in pages),
     * or a handler that is not the server's (a test fixture). Only the security chain's path rules apply.
     */
    record ChainOnly() implements Requirement {
    }
}
