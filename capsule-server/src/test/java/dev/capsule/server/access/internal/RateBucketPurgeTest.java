package dev.capsule.server.access.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The rate bucket purge (AccessRetention) forgets buckets idle longer than any bucket takes to refill, and nothing else. */
@CapsuleServerTest
class RateBucketPurgeTest {
    @Autowired
    Purges purges;
    @Autowired
    RateLimiter limiter;
    @Autowired
    JdbcClient jdbc;

    @Test
    void forgetsOnlyBucketsIdleLongerThanAFullRefill() {
        limiter.take("ip:198.51.100.7", new BucketPolicy(5, 5), "client-address");
        jdbc.sql("INSERT INTO rate_bucket VALUES ('ip:192.0.2.1', 0, false, now() - interval '1441 minutes'), "
                + "('ip:192.0.2.2', 0, false, now() - interval '1439 minutes')").update();
        purges.run("access.rate-buckets");
        assertThat(jdbc.sql("SELECT bucket FROM rate_bucket WHERE bucket IN ('ip:192.0.2.1', 'ip:192.0.2.2', 'ip:198.51.100.7')")
                .query(String.class).list()).containsExactlyInAnyOrder("ip:192.0.2.2", "ip:198.51.100.7");
    }

    @Test
    void bucketRefillsByElapsedTimeAndNeverPastItsBurst() {
        BucketPolicy policy = new BucketPolicy(2, 60);
        String bucket = "key:feedfacefeedface";
        assertThat(limiter.take(bucket, policy, "api-key")).isInstanceOf(RateLimiter.Decision.Granted.class);
        assertThat(limiter.take(bucket, policy, "api-key")).isInstanceOf(RateLimiter.Decision.Granted.class);
        assertThat(limiter.take(bucket, policy, "api-key")).isEqualTo(new RateLimiter.Decision.Refused(1));
        // An hour idle refills 3600 tokens' worth, capped at the burst of 2.
        jdbc.sql("UPDATE rate_bucket SET updated_at = updated_at - interval '1 hour' WHERE bucket = ?").param(bucket).update();
        assertThat(limiter.take(bucket, policy, "api-key")).isInstanceOf(RateLimiter.Decision.Granted.class);
        assertThat(limiter.take(bucket, policy, "api-key")).isInstanceOf(RateLimiter.Decision.Granted.class);
        assertThat(limiter.take(bucket, policy, "api-key")).isInstanceOf(RateLimiter.Decision.Refused.class);
    }
}
