package dev.capsule.server.access.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets rate buckets idle for longer than any bucket takes to refill
 * ({@link BucketPolicy#FULL_REFILL_MINUTES_MAX}): such a bucket is full, exactly what a new one is, so
 * deleting it changes no decision and keeps the table as small as the set of recent clients. Every
 * node runs it; running twice is harmless.
 */
@Component
@EnableScheduling
class RateBucketCleanup {
    static final long INTERVAL_MILLIS = 10 * 60 * 1000;
    /** Rows deleted per statement, and statements per run: a run's work is bounded. */
    static final int DELETE_BATCH_ROWS = 10_000;
    static final int BATCHES_PER_RUN_MAX = 10;
    private static final Logger log = LoggerFactory.getLogger(RateBucketCleanup.class);

    private final JdbcClient jdbc;

    RateBucketCleanup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void run() {
        try {
            int total = 0;
            for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
                int deleted = deleteIdleBatch();
                total += deleted;
                if (deleted < DELETE_BATCH_ROWS) {
                    break;
                }
            }
            if (total > 0) {
                log.debug("forgot {} idle rate buckets", total);
            }
        } catch (RuntimeException e) {
            log.warn("rate bucket clean-up failed; it runs again in {} minutes", INTERVAL_MILLIS / 60_000, e);
        }
    }

    int deleteIdleBatch() {
        return jdbc.sql("DELETE FROM rate_bucket WHERE bucket IN (SELECT bucket FROM rate_bucket "
                        + "WHERE updated_at < clock_timestamp() - make_interval(mins => :minutes) LIMIT :rows)")
                .param("minutes", BucketPolicy.FULL_REFILL_MINUTES_MAX)
                .param("rows", DELETE_BATCH_ROWS)
                .update();
    }
}
