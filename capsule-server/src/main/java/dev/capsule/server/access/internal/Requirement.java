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
    record Operator() implements Requirement {
    }

    /** Callers holding the permission. */
    record Needs(Permission permission) implements Requirement {
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
