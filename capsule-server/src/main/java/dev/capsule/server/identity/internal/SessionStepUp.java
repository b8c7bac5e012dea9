package dev.capsule.server.identity.internal;

import dev.capsule.server.access.StepUp;
import dev.capsule.server.access.StepUpCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The access module's {@link StepUpCheck} for operator sessions: the session's last second factor within
 * {@value StepUp#STEP_UP_MINUTES_MAX} minutes. Only the access module's {@link StepUp} asks it.
 *
 * <p>Security guarantees: only an operator session this module authenticated can satisfy it, and only
 * when its last second factor is within {@value StepUp#STEP_UP_MINUTES_MAX} minutes of the server's
 * clock; any other authentication (an API key, an unknown mechanism) is refused.
 */
@Component
class SessionStepUp implements StepUpCheck {
    private final Clock clock;

    SessionStepUp(IdentityClock clock) {
        this.clock = clock.clock();
    }

    /** When the current request's step-up runs out, if its session has one. */
    Optional<Instant> until() {
        return until(SecurityContextHolder.getContext().getAuthentication());
    }

    @Override
    public boolean recent(Authentication caller) {
        return until(caller).map(clock.instant()::isBefore).orElse(false);
    }

    private static Optional<Instant> until(Authentication caller) {
        if (caller instanceof OperatorAuthentication authentication) {
            return authentication.session().mfaAt().map(at -> at.plus(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX)));
        }
        return Optional.empty();
    }
}
