package dev.capsule.server.privacy.internal;

import dev.capsule.server.platform.Purge;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The privacy module's purges (the platform's {@link Purge}; docs/retention.md). */
@Configuration(proxyBeanMethods = false)
class PrivacyRetention {
    /** Finished exports once {@link ExportStore#KEPT} is over: the person asks again for a fresh one. */
    @Bean
    Purge exportPurge() {
        return new Purge("privacy.exports", "privacy_export_chunks", "expires_at <= :cutoff", Duration.ZERO, 1_000, 10, Duration.ofMinutes(10));
    }
}
