package dev.capsule.server.access.internal;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.StepUp;
import dev.capsule.server.access.StepUpCheck;
import dev.capsule.server.platform.ProblemException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * {@link StepUp}: asks every installed {@link StepUpCheck} and refuses unless all say the caller stepped
 * up recently, and refuses when none is installed.
 */
@Component
class StepUpGate implements StepUp {
    private final ObjectProvider<StepUpCheck> checks;

    StepUpGate(ObjectProvider<StepUpCheck> checks) {
        this.checks = checks;
    }

    @Override
    public void require(String action) {
        List<StepUpCheck> installed = checks.orderedStream().toList();
        if (installed.isEmpty()) {
            throw new ProblemException(AccessProblems.STEP_UP_REQUIRED,
                    action + " needs step-up re-authentication, which this server cannot check: it is refused");
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        for (StepUpCheck check : installed) {
            if (!check.recent(caller)) {
                throw new ProblemException(AccessProblems.STEP_UP_REQUIRED, action + " needs a second factor within the last "
                        + STEP_UP_MINUTES_MAX + " minutes: POST /api/v1/auth/step-up with a current authenticator code, then repeat it"
                        + " (an API key can never step up)");
            }
        }
    }
}
