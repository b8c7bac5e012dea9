package dev.capsule.server.access.internal;

import dev.capsule.server.access.StepUpCheck;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Calls the application's {@link StepUpCheck} beans (the identity module provides one). While there
 * is none, sensitive key actions are guarded by their permission and the two-person rule only, and
 * the server says so once at start-up.
 */
@Component
class StepUpHook {
    private static final Logger log = LoggerFactory.getLogger(StepUpHook.class);

    private final List<StepUpCheck> checks;

    StepUpHook(ObjectProvider<StepUpCheck> provided) {
        this.checks = provided.orderedStream().toList();
        if (checks.isEmpty()) {
            log.warn("API key creation and approval are not guarded by step-up re-authentication: "
                    + "no StepUpCheck is installed (the identity module provides it)");
        }
    }

    void require(Authentication caller, String action) {
        for (StepUpCheck check : checks) {
            check.require(caller, action);
        }
    }
}
