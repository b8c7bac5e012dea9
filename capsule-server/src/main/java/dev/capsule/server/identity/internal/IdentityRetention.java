package dev.capsule.server.identity.internal;

import dev.capsule.server.platform.Purge;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The identity module's purge (the platform's {@link Purge}; docs/retention.md). */
@Configuration(proxyBeanMethods = false)
class IdentityRetention {
    /**
     * Sign-in throttle counts whose last failure is older than {@link SignInThrottle#FORGET_AFTER_HOURS} and that block
     * nothing: the throttle already treats such a count as forgotten (the next failure starts again at one), so deleting
     * it changes no decision. Without it every address and every mistyped username that ever failed would stay.
     */
    @Bean
    Purge signInThrottlePurge() {
        return new Purge("identity.sign-in-throttle", "sign_in_throttle",
                "last_failure_at < :cutoff AND (blocked_until IS NULL OR blocked_until < :cutoff)",
                Duration.ofHours(SignInThrottle.FORGET_AFTER_HOURS), 5_000, 10, Duration.ofHours(1));
    }
}
