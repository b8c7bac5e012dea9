package dev.capsule.server.identity.internal;

import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Backoff for failed authentication attempts, per account and per client address, in PostgreSQL so
 * it holds across nodes. After {@link #ACCOUNT_FAILURES_FREE} failures for an account (or
 * {@link #ADDRESS_FAILURES_FREE} from an address) each further failure blocks that key for 1 s,
 * doubling up to {@link #BLOCK_SECONDS_MAX}; a success clears the account's count; counts are
 * forgotten {@link #FORGET_AFTER_HOURS} hours after the last failure.
 *
 * <p>Security guarantees: the count is an atomic upsert, so concurrent failures on several nodes are
 * all counted; an account key is a hash of the username typed, so blocking works the same for names
 * that do not exist (no enumeration) and never stores what was typed.
 */
@Component
class SignInThrottle {
    static final int ACCOUNT_FAILURES_FREE = 5;
    /** Higher than per account: several operators may share one office address. */
    static final int ADDRESS_FAILURES_FREE = 20;
    static final long BLOCK_SECONDS_MAX = 15 * 60;
    static final long FORGET_AFTER_HOURS = 24;
    /** 2^10 s already exceeds the cap; larger exponents are not computed. */
    private static final int DOUBLINGS_MAX = 10;

    private final JdbcClient jdbc;
    private final Clock clock;

    SignInThrottle(JdbcClient jdbc, IdentityClock clock) {
        this.jdbc = jdbc;
        this.clock = clock.clock();
    }

    /** The keys of one attempt. */
    record Keys(String account, String address) {
        static Keys of(String usernameTyped, String address) {
            String name = usernameTyped == null ? "" : usernameTyped;
            return new Keys("account:" + Sha256.of(name.getBytes(StandardCharsets.UTF_8)).hex(),
                    "ip:" + (address == null ? "unknown" : address));
        }
    }

    /** How long the attempt must wait, if either key is blocked now. */
    Optional<Duration> blocked(Keys keys) {
        Instant now = clock.instant();
        List<Timestamp> until = jdbc.sql("SELECT blocked_until FROM sign_in_throttle WHERE throttle_key IN (:a, :b) AND blocked_until > :now")
                .param("a", keys.account()).param("b", keys.address()).param("now", Timestamp.from(now))
                .query(Timestamp.class).list();
        return until.stream().map(Timestamp::toInstant).max(Instant::compareTo)
                .map(latest -> Duration.between(now, latest));
    }

    void failure(Keys keys) {
        count(keys.account(), ACCOUNT_FAILURES_FREE);
        count(keys.address(), ADDRESS_FAILURES_FREE);
    }

    void success(Keys keys) {
        jdbc.sql("DELETE FROM sign_in_throttle WHERE throttle_key = :k").param("k", keys.account()).update();
    }

    private void count(String key, int free) {
        Instant now = clock.instant();
        int failures = jdbc.sql("""
                INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at) VALUES (:k, 1, :now)
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN sign_in_throttle.last_failure_at < :forget THEN 1 ELSE sign_in_throttle.failures + 1 END,
                    blocked_until = CASE WHEN sign_in_throttle.last_failure_at < :forget THEN NULL ELSE sign_in_throttle.blocked_until END,
                    last_failure_at = :now
                RETURNING failures""")
                .param("k", key).param("now", Timestamp.from(now))
                .param("forget", Timestamp.from(now.minus(Duration.ofHours(FORGET_AFTER_HOURS))))
                .query(Integer.class).single();
        if (failures >= free) {
            Instant until = now.plus(blockFor(failures - free));
            jdbc.sql("UPDATE sign_in_throttle SET blocked_until = GREATEST(COALESCE(blocked_until, :until), :until) WHERE throttle_key = :k")
                    .param("until", Timestamp.from(until)).param("k", key).update();
        }
    }

    /** 1 s for the first failure past the free ones, doubling, capped. */
    static Duration blockFor(int failuresPastFree) {
        int doublings = Math.min(failuresPastFree, DOUBLINGS_MAX);
        return Duration.ofSeconds(Math.min(1L << doublings, BLOCK_SECONDS_MAX));
    }
}
