package dev.capsule.server.access.internal;

import dev.capsule.server.platform.Purge;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The access module's purge (the platform's {@link Purge}; docs/retention.md). */
@Configuration(proxyBeanMethods = false)
class AccessRetention {
    /**
     * Rate buckets idle for longer than any bucket takes to refill ({@link BucketPolicy#FULL_REFILL_MINUTES_MAX}): such
     * a bucket is full, exactly what a new one is, so deleting it changes no decision and keeps the table as small as
     * the set of recent clients.
     */
    @Bean
    Purge rateBucketPurge() {
        return new Purge("access.rate-buckets", "rate_bucket", "updated_at < :cutoff", Duration.ofMinutes(BucketPolicy.FULL_REFILL_MINUTES_MAX),
                10_000, 10, Duration.ofMinutes(10));
    }
}
