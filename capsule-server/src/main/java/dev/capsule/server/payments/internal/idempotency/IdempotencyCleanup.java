package dev.capsule.server.payments.internal.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes idempotency records past their 24 hours. Expired records are already ignored by every lookup, so this only
 * keeps the table small; every node runs it, and running twice is harmless. A run's work is bounded
 * ({@link #DELETE_BATCH_ROWS} × {@link #BATCHES_PER_RUN_MAX} rows).
 */
@Component
@EnableScheduling
class IdempotencyCleanup {
    static final long INTERVAL_MILLIS = 10 * 60 * 1000;
    /** Rows deleted per statement, and statements per run. */
    static final int DELETE_BATCH_ROWS = 5_000;
    static final int BATCHES_PER_RUN_MAX = 20;
    private static final Logger log = LoggerFactory.getLogger(IdempotencyCleanup.class);

    private final JdbcClient jdbc;

    IdempotencyCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void scheduled() {
        try {
            int deleted = run();
            if (deleted > 0) {
                log.debug("deleted {} expired idempotency records", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("idempotency record clean-up failed; it runs again in {} minutes", INTERVAL_MILLIS / 60_000, e);
        }
    }

    /** One bounded run; how many records it deleted. */
    int run() {
        int total = 0;
        for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
            int deleted = jdbc.sql("""
                            DELETE FROM payments_idempotency WHERE (scope, idempotency_key) IN (
                                SELECT scope, idempotency_key FROM payments_idempotency
                                WHERE expires_at <= clock_timestamp() LIMIT :rows)""")
                    .param("rows", DELETE_BATCH_ROWS).update();
            total += deleted;
            if (deleted < DELETE_BATCH_ROWS) {
                break;
            }
        }
        return total;
    }
}
