package dev.capsule.server.payments.internal.signatures;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired nonces in bounded batches. An expired nonce decides nothing (its message is refused as expired
 * before the nonce is looked at), so deleting it changes no decision. Every node runs it; running twice is harmless.
 */
@Component
class NonceCleanup {
    static final long INTERVAL_MILLIS = 5 * 60 * 1000;
    /** Rows deleted per statement, and statements per run: a run's work is bounded. */
    static final int DELETE_BATCH_ROWS = 10_000;
    static final int BATCHES_PER_RUN_MAX = 10;
    private static final Logger log = LoggerFactory.getLogger(NonceCleanup.class);

    private final JdbcClient jdbc;

    NonceCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void run() {
        try {
            for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
                if (deleteExpiredBatch() < DELETE_BATCH_ROWS) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.warn("nonce clean-up failed; it runs again in {} minutes", INTERVAL_MILLIS / 60_000, e);
        }
    }

    int deleteExpiredBatch() {
        return jdbc.sql("DELETE FROM payments_nonce WHERE (scope, nonce) IN (SELECT scope, nonce FROM payments_nonce "
                        + "WHERE expires_at < clock_timestamp() LIMIT :rows)")
                .param("rows", DELETE_BATCH_ROWS)
                .update();
    }
}
