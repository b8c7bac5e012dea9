package dev.capsule.server.access.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Token buckets kept in PostgreSQL, so every server node on the database shares them. Taking a token
 * is one statement: it creates the bucket full if it is new, adds what accrued since its last use
 * (by the database's clock, so nodes with skewed clocks agree), and takes one token if there is one,
 * all under the row's lock.
 *
 * <p>Security guarantees: concurrent requests on any number of nodes never take more tokens than
 * the bucket gives (the row lock serializes them); a refused request does not consume. The table is
 * unlogged: a database crash resets every bucket to full, which the limits tolerate.
 */
@Component
class RateLimiter {
    /** The tokens available now: what was left plus what accrued since, capped at the burst size. */
    private static final String AVAILABLE = "LEAST(CAST(:burst AS double precision), b.tokens + CAST(:perSecond AS double precision) "
            + "* GREATEST(0, CAST(EXTRACT(EPOCH FROM (clock_timestamp() - b.updated_at)) AS double precision)))";
    private static final String TAKE = "INSERT INTO rate_bucket AS b (bucket, tokens, granted, updated_at) "
            + "VALUES (:bucket, CAST(:burst AS double precision) - 1, true, clock_timestamp()) "
            + "ON CONFLICT (bucket) DO UPDATE SET "
            + "tokens = CASE WHEN " + AVAILABLE + " >= 1 THEN " + AVAILABLE + " - 1 ELSE " + AVAILABLE + " END, "
            + "granted = " + AVAILABLE + " >= 1, "
            + "updated_at = GREATEST(b.updated_at, clock_timestamp()) "
            + "RETURNING granted, tokens";

    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    RateLimiter(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** What taking a token gave. */
    sealed interface Decision {
        record Granted() implements Decision {
        }

        /** @param retryAfterSeconds when the bucket will next hold a token, rounded up, at least 1 */
        record Refused(long retryAfterSeconds) implements Decision {
        }
    }

    /**
     * Takes one token from {@code bucket}, whose name says what it limits ("ip:...", "key:...").
     *
     * @param limit the name of the limit for metrics ("client-address", "api-key")
     */
    Decision take(String bucket, BucketPolicy policy, String limit) {
        Decision decision = jdbc.sql(TAKE)
                .param("bucket", bucket)
                .param("burst", (double) policy.burstRequests())
                .param("perSecond", policy.refillPerSecond())
                .query((row, n) -> row.getBoolean("granted")
                        ? new Decision.Granted()
                        : new Decision.Refused(retryAfterSeconds(row.getDouble("tokens"), policy)))
                .single();
        if (decision instanceof Decision.Refused) {
            refusals(limit).increment();
        }
        return decision;
    }

    static long retryAfterSeconds(double tokens, BucketPolicy policy) {
        double seconds = (1 - tokens) / policy.refillPerSecond();
        return Math.max(1, (long) Math.ceil(seconds));
    }

    private Counter refusals(String limit) {
        return Counter.builder("capsule.rate.limit.refusals")
                .description("Requests refused because a token bucket was empty")
                .tag("limit", limit)
                .register(meters);
    }
}
