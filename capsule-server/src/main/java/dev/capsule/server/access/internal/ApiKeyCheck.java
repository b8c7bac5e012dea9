package dev.capsule.server.access.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a presented API key's row and takes one token from the key's bucket in one statement, so an
 * API call costs one database round trip (see docs/benchmarks.md, "the security tax of an API call").
 * The statement reads the key by its id and takes the token only if the key is active (approved, not
 * revoked, not expired, by the database's clock at the statement's start) and its stored hash equals
 * the presented token's hash.
 *
 * <p>Security guarantees: a wrong secret never takes a token from the key's bucket, so someone who
 * knows only a key's (public) id cannot drain its holder's rate limit; such a request pays its
 * address's token instead, after authentication fails ({@link ApiGateFilter}). The hash equality in
 * SQL is a pre-filter for the bucket only and decides nothing: {@link ApiKeyAuthenticator} compares
 * the hashes again in constant time and that comparison is the authentication decision.
 * PostgreSQL's {@code bytea =} may stop at the first differing byte, which could reveal how many
 * leading bytes of SHA-256(presented token) match the stored digest; that is of no use to an
 * attacker, who cannot choose digest bytes without pre-images of SHA-256. The key's state is read
 * from the database on every call, so a revocation holds on every node at once.
 */
@Component
class ApiKeyCheck {
    private static final String CHECK = "WITH k AS (SELECT " + ApiKeyStore.COLUMNS + ", statement_timestamp() AS checked_at, "
            + "(approved_at IS NOT NULL AND revoked_at IS NULL AND expires_at > statement_timestamp() "
            + "AND secret_sha256 = :presentedSha256) AS chargeable "
            + "FROM api_key WHERE key_id = :keyId), "
            + "policy AS (SELECT 'key:' || key_id AS bucket, CAST(burst_requests AS double precision) AS burst, "
            + "refill_per_minute / 60.0::double precision AS per_second FROM k WHERE chargeable), "
            + "taken AS (" + RateLimiter.TAKE_FROM_POLICY + ") "
            + "SELECT k.*, taken.granted, taken.tokens FROM k LEFT JOIN taken ON true";

    private final JdbcClient jdbc;
    private final RateLimiter limiter;

    ApiKeyCheck(JdbcClient jdbc, RateLimiter limiter) {
        this.jdbc = jdbc;
        this.limiter = limiter;
    }

    /**
     * What the database holds for a key, read in one statement with the taking of its token.
     *
     * @param key       the key's row
     * @param checkedAt the database's time at which the key's state was judged; {@code key.status(checkedAt)}
     *                  is {@link StoredKey.Status#ACTIVE} exactly when the statement could charge the key
     * @param bucket    the key's bucket's decision, present exactly when the key was active and the
     *                  presented hash equal to the stored one
     */
    record Checked(StoredKey key, Instant checkedAt, Optional<RateLimiter.Decision> bucket) {
        Checked {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(checkedAt, "checkedAt");
            Objects.requireNonNull(bucket, "bucket");
        }
    }

    /** The key {@code keyId}, if there is one, and the outcome of charging it for a token whose SHA-256 is {@code presentedSha256}. */
    Optional<Checked> check(String keyId, byte[] presentedSha256) {
        return jdbc.sql(CHECK)
                .param("keyId", keyId)
                .param("presentedSha256", presentedSha256)
                .query((row, n) -> {
                    StoredKey key = ApiKeyStore.row(row, n);
                    boolean granted = row.getBoolean("granted");
                    Optional<RateLimiter.Decision> bucket = row.wasNull()
                            ? Optional.empty()
                            : Optional.of(limiter.decided(granted, row.getDouble("tokens"), key.rateLimit(), "api-key"));
                    Timestamp checkedAt = row.getTimestamp("checked_at");
                    return new Checked(key, checkedAt.toInstant(), bucket);
                })
                .optional();
    }
}
