package dev.capsule.server.access.internal;

import dev.capsule.server.access.CallerRateLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Token buckets kept in PostgreSQL, so every server node on the database shares them. Taking a token
 * is one statement: it creates the bucket full if it is new, adds what accrued since its last use
 * (by the database's clock, so nodes with skewed clocks agree), and takes one token if there is one,
 * all under the row's lock. The same sub-statement ({@link #TAKE_FROM_POLICY}) serves the address
 * limit here and the API-key limit in {@link ApiKeyCheck}, where it runs in the statement that reads
 * the key.
 *
 * <p>Security guarantees: concurrent requests on any number of nodes never take more tokens than
 * the bucket gives (the row lock serializes them); a refused request does not consume. The table is
 * unlogged: a database crash resets every bucket to full, which the limits tolerate.
 */
@Component
class RateLimiter {
    /** The bucket's shape, read once by the planner (an init plan) from the CTE {@code policy}. */
    private static final String BURST = "(SELECT p.burst FROM policy p)";
    private static final String PER_SECOND = "(SELECT p.per_second FROM policy p)";
    /** The tokens available now: what was left plus what accrued since, capped at the burst size. */
    private static final String AVAILABLE = "LEAST(" + BURST + ", b.tokens + " + PER_SECOND
            + " * GREATEST(0, CAST(EXTRACT(EPOCH FROM (clock_timestamp() - b.updated_at)) AS double precision)))";
    /**
     * Takes one token from the bucket described by the CTE {@code policy(bucket text, burst double
     * precision, per_second double precision)}, which holds at most one row; when it holds none,
     * nothing is taken and nothing returned. Returns {@code granted, tokens}; for use as a
     * data-modifying CTE.
     */
    static final String TAKE_FROM_POLICY = "INSERT INTO rate_bucket AS b (bucket, tokens, granted, updated_at) "
            + "SELECT p.bucket, p.burst - 1, true, clock_timestamp() FROM policy p "
            + "ON CONFLICT (bucket) DO UPDATE SET "
            + "tokens = CASE WHEN " + AVAILABLE + " >= 1 THEN " + AVAILABLE + " - 1 ELSE " + AVAILABLE + " END, "
            + "granted = " + AVAILABLE + " >= 1, "
            + "updated_at = GREATEST(b.updated_at, clock_timestamp()) "
            + "RETURNING granted, tokens";
    private static final String TAKE = "WITH policy AS (SELECT CAST(:bucket AS text) AS bucket, "
            + "CAST(:burst AS double precision) AS burst, CAST(:perSecond AS double precision) AS per_second), "
            + "taken AS (" + TAKE_FROM_POLICY + ") SELECT granted, tokens FROM taken";

    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    RateLimiter(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** What taking a token gave. */
    sealed interface Decision {
        /** Empty when granted, else the refusal of the limit named {@code limit}, to answer. */
        default Optional<CallerRateLimits.RateLimited> refusal(String limit) {
            return switch (this) {
                case Granted granted -> Optional.empty();
                case Refused refused -> Optional.of(new CallerRateLimits.RateLimited(limit, refused.retryAfterSeconds()));
            };
        }

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
        return jdbc.sql(TAKE)
                .param("bucket", bucket)
                .param("burst", (double) policy.burstRequests())
                .param("perSecond", policy.refillPerSecond())
                .query((row, n) -> decided(row.getBoolean("granted"), row.getDouble("tokens"), policy, limit))
                .single();
    }

    /** The decision {@link #TAKE_FROM_POLICY} returned for a bucket of {@code policy}, counted in the metrics. */
    Decision decided(boolean granted, double tokens, BucketPolicy policy, String limit) {
        if (granted) {
            return new Decision.Granted();
        }
        refusals(limit).increment();
        return new Decision.Refused(retryAfterSeconds(tokens, policy));
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
