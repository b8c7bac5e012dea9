package dev.capsule.server.host.internal;

import dev.capsule.server.platform.Purge;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The host module's purges (the platform's {@link Purge}; docs/retention.md). */
@Configuration(proxyBeanMethods = false)
class HostRetention {
    static final Duration EVERY_TEN_MINUTES = Duration.ofMinutes(10);

    /** Expired shell sessions: a lookup already refuses them. */
    @Bean
    Purge shellSessionPurge() {
        return new Purge("host.shell-sessions", "host_shell_sessions", "expires_at <= :cutoff", Duration.ZERO, 5_000, 10, EVERY_TEN_MINUTES);
    }

    /** Session grants a day ({@link ShellSignIn#GRANTS_KEPT}) after they expired, used or not. */
    @Bean
    Purge shellGrantPurge() {
        return new Purge("host.shell-grants", "host_grants", "expires_at <= :cutoff", ShellSignIn.GRANTS_KEPT, 5_000, 10, EVERY_TEN_MINUTES);
    }

    /**
     * Expired payer step-up challenges of payers who did not come back (a payer's own next challenge deletes that
     * payer's expired ones; an expired challenge is refused anyway).
     */
    @Bean
    Purge payerStepUpPurge() {
        return new Purge("host.payer-step-ups", "host_payer_step_ups", "expires_at <= :cutoff", Duration.ZERO, 5_000, 10, EVERY_TEN_MINUTES);
    }

    /** Expired passkey registration challenges (a registration answered after its expiry is refused anyway). */
    @Bean
    Purge passkeyRegistrationPurge() {
        return new Purge("host.passkey-registrations", "host_passkey_registrations", "expires_at <= :cutoff", Duration.ZERO, 5_000, 10,
                EVERY_TEN_MINUTES);
    }
}
