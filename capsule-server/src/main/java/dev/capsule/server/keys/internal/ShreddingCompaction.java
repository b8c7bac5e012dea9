package dev.capsule.server.keys.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes erased subject keys leave the database's files. A DELETE only marks a row dead, and even a
 * plain VACUUM may leave its bytes in the page's free space (seen in CryptoShreddingTest); so after
 * an erasure, {@code keys_subject_keys} is rewritten ({@code VACUUM FULL}: a new file with only the
 * live rows; PostgreSQL empties and then removes the old one). The table holds one short row per
 * subject, so the rewrite is quick; it runs at most every {@value #INTERVAL_MILLIS} ms, not per erasure.
 *
 * <p>What remains: the write-ahead log and backups taken before the rewrite still hold the wrapped key
 * (encrypted under the subject-data key set): docs/keys.md explains why rotating and then destroying
 * the old subject-data key closes that gap.
 */
@Component
class ShreddingCompaction {
    static final long INTERVAL_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(ShreddingCompaction.class);

    private final JdbcClient jdbc;
    private final AtomicBoolean pending = new AtomicBoolean();

    ShreddingCompaction(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A subject key was deleted: compact at the next run. */
    void erased() {
        pending.set(true);
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void compactIfErased() {
        if (pending.getAndSet(false)) {
            try {
                compactNow();
            } catch (RuntimeException e) {
                pending.set(true);
                log.warn("could not compact keys_subject_keys after an erasure (will retry): {}", e.getMessage());
            }
        }
    }

    /** Rewrites the subject key tables now (outside any transaction: VACUUM cannot run inside one). */
    void compactNow() {
        jdbc.sql("VACUUM (FULL) keys_subject_keys").update();
    }
}
