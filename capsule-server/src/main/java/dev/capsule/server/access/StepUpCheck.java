package dev.capsule.server.access;

import org.springframework.security.core.Authentication;

/**
 * The hook through which the identity module demands a recent re-authentication (password and MFA
 * again) before a sensitive action. The access module calls it before creating and before approving
 * an API key. Provide it as a bean; while none exists the server logs a warning at start-up that
 * these actions are not guarded by step-up (docs/api-keys.md).
 */
public interface StepUpCheck {

    /**
     * Returns when {@code caller} re-authenticated recently enough for {@code action}; otherwise throws
     * a {@link dev.capsule.server.platform.ProblemException} the client can act on (e.g. 401
     * {@code step-up-required}).
     */
    void require(Authentication caller, String action);
}
