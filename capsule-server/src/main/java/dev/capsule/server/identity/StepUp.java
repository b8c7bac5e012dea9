package dev.capsule.server.identity;

/**
 * Step-up for sensitive actions (role changes, key operations, the kill switch): the signed-in
 * operator must have passed a second factor within the last {@value #STEP_UP_MINUTES_MAX} minutes, in
 * this session. Call {@link #require()} at the top of the action; an operator who has not answers
 * with {@code POST /api/v1/auth/step-up} (a fresh TOTP code) and repeats the request.
 *
 * <p>Security guarantees: the time of the last second factor lives in the server-side session (never
 * in anything the client sends); only a TOTP code accepted under the replay rule, a recovery code,
 * or a confirmed TOTP enrolment set it; a caller without an operator session (an API key) never
 * satisfies it.
 */
public interface StepUp {
    /** How recent the last second factor must be. */
    int STEP_UP_MINUTES_MAX = 5;

    /** Whether the current request's operator passed a second factor within the limit. */
    boolean recent();

    /**
     * Returns if {@link #recent()}; otherwise throws a {@code ProblemException} answered as 403
     * {@code https://capsule.dev/problems/step-up-required}.
     */
    void require();
}
