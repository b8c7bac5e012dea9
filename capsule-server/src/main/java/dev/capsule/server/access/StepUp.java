package dev.capsule.server.access;

/**
 * The one step-up rule of the server: a sensitive action needs the signed-in operator to have passed a
 * second factor within the last {@value #STEP_UP_MINUTES_MAX} minutes, in this session. Endpoints declare
 * it next to their permission ({@code @RequiresPermission(value = ..., stepUp = true)}, or
 * {@code @SelfService(stepUp = true)}) and the access module's permission interceptor enforces it; a
 * service that decides it from state (replacing an enrolled authenticator) calls {@link #require}, which
 * is the same component. An operator who is refused answers with {@code POST /api/v1/auth/step-up} (a
 * fresh TOTP code) and repeats the request.
 *
 * <p>Security guarantees: fails closed. Every refusal is 403 {@link AccessProblems#STEP_UP_REQUIRED};
 * when no {@link StepUpCheck} is installed every step-up action is refused (never waved through); a
 * caller that is not an operator session (an API key, another authentication mechanism) never satisfies
 * it; every refusal is audited as a denial like any other 403.
 */
public interface StepUp {
    /** How recent the last second factor must be, in minutes. */
    int STEP_UP_MINUTES_MAX = 5;

    /**
     * Returns when the current request's caller passed a second factor recently enough; otherwise throws
     * 403 {@code step-up-required}.
     *
     * @param action what is being done, for the client ("POST /api/v1/api-keys")
     */
    void require(String action);
}
