package dev.capsule.server.access;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The problem types of the access module (listed with the platform's in docs/rbac.md and docs/api-keys.md). */
public final class AccessProblems {
    /** The same actor tried to do both halves of a two-person rule. */
    public static final ProblemType SEPARATION_OF_DUTIES = new ProblemType("separation-of-duties",
            HttpStatus.FORBIDDEN, "Separation of duties: another person must do this");
    /**
     * A step-up action ({@link StepUp}) without a second factor within the last
     * {@value StepUp#STEP_UP_MINUTES_MAX} minutes, by a caller that cannot step up, or on a server with no
     * {@link StepUpCheck}.
     */
    public static final ProblemType STEP_UP_REQUIRED = new ProblemType("step-up-required", HttpStatus.FORBIDDEN,
            "Confirm with a fresh authenticator code first");
    /** A token bucket is empty; the response has Retry-After. */
    public static final ProblemType RATE_LIMITED = new ProblemType("rate-limited",
            HttpStatus.TOO_MANY_REQUESTS, "Too many requests");
    /** The API key is not in a state that allows this (approving an active key, revoking a revoked one). */
    public static final ProblemType API_KEY_STATE = new ProblemType("api-key-state",
            HttpStatus.CONFLICT, "The API key is not in a state that allows this");
    /** Creating another key would pass the installation's limit of unrevoked keys. */
    public static final ProblemType API_KEY_LIMIT = new ProblemType("api-key-limit",
            HttpStatus.CONFLICT, "Too many API keys");

    /**
     * The developer organisation the caller acts for is suspended (an incident response): its API keys and its
     * members' uploads are refused until an operator lifts the suspension. Raised by the access module for an API key
     * bound to it and by the registry for an upload.
     */
    public static final ProblemType ORGANISATION_SUSPENDED = new ProblemType("organisation-suspended",
            HttpStatus.FORBIDDEN, "The developer organisation is suspended");

    private AccessProblems() {
    }
}
