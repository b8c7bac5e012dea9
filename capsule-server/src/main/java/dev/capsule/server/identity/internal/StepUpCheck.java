package dev.capsule.server.identity.internal;

import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.identity.StepUp;
import dev.capsule.server.platform.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** {@link StepUp} from the current request's operator session. */
@Component
class StepUpCheck implements StepUp {
    private final Clock clock;

    StepUpCheck(IdentityClock clock) {
        this.clock = clock.clock();
    }

    @Override
    public boolean recent() {
        return until().map(clock.instant()::isBefore).orElse(false);
    }

    /** When the current step-up runs out, if the session has one. */
    Optional<Instant> until() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof OperatorAuthentication authentication) {
            return authentication.session().mfaAt().map(at -> at.plus(Duration.ofMinutes(STEP_UP_MINUTES_MAX)));
        }
        return Optional.empty();
    }

    @Override
    public void require() {
        if (!recent()) {
            throw new ProblemException(OperatorProblems.STEP_UP_REQUIRED, "this action needs a second factor within the last "
                    + STEP_UP_MINUTES_MAX + " minutes: POST /api/v1/auth/step-up with a current authenticator code, then repeat it");
        }
    }
}
