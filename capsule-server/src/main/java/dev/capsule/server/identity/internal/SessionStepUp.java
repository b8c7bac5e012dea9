package dev.capsule.server.identity.internal;

import dev.capsule.server.access.StepUpCheck;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.identity.StepUp;
import dev.capsule.server.platform.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * {@link StepUp} from the operator session of a request; also the access module's {@link StepUpCheck}
 * (API key creation and approval), so both ask the same question of the same session.
 *
 * <p>Security guarantees: only an operator session this module authenticated can satisfy it, and only
 * when its last second factor is within {@value StepUp#STEP_UP_MINUTES_MAX} minutes of the server's
 * clock; any other authentication (an API key, an unknown mechanism) is refused.
 */
@Component
class SessionStepUp implements StepUp, StepUpCheck {
    private final Clock clock;

    SessionStepUp(IdentityClock clock) {
        this.clock = clock.clock();
    }

    @Override
    public boolean recent() {
        return recent(SecurityContextHolder.getContext().getAuthentication());
    }

    /** When the current request's step-up runs out, if its session has one. */
    Optional<Instant> until() {
        return until(SecurityContextHolder.getContext().getAuthentication());
    }

    @Override
    public void require() {
        require(SecurityContextHolder.getContext().getAuthentication(), "this action");
    }

    @Override
    public void require(Authentication caller, String action) {
        if (!recent(caller)) {
            throw new ProblemException(OperatorProblems.STEP_UP_REQUIRED, action + " needs a second factor within the last "
                    + STEP_UP_MINUTES_MAX + " minutes: POST /api/v1/auth/step-up with a current authenticator code, then repeat it");
        }
    }

    private boolean recent(Authentication caller) {
        return until(caller).map(clock.instant()::isBefore).orElse(false);
    }

    private static Optional<Instant> until(Authentication caller) {
        if (caller instanceof OperatorAuthentication authentication) {
            return authentication.session().mfaAt().map(at -> at.plus(Duration.ofMinutes(STEP_UP_MINUTES_MAX)));
        }
        return Optional.empty();
    }
}
