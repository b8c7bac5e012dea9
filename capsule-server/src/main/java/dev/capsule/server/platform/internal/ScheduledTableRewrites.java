package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.TableRewrites;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link TableRewrites} on Spring's scheduler: the requested tables, rewritten one after another in every region's
 * database (the same tables everywhere, {@link Residency}); a table whose rewrite failed in any region is retried in all.
 */
@Component
class ScheduledTableRewrites implements TableRewrites {
    private static final Logger log = LoggerFactory.getLogger(ScheduledTableRewrites.class);

    private final Residency residency;
    private final Set<String> pending = new ConcurrentSkipListSet<>();

    ScheduledTableRewrites(Residency residency) {
        this.residency = residency;
    }

    @Override
    public void request(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("a table is a lower-case SQL identifier");
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // A rewrite before the deleting transaction commits would still see its rows: count the request from the commit.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    pending.add(table);
                }
            });
        } else {
            pending.add(table);
        }
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void runRequested() {
        try {
            runNow();
        } catch (RuntimeException e) {
            log.warn("could not rewrite a table after deletes (will retry): {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void runNow() {
        for (String table : new TreeSet<>(pending)) {
            pending.remove(table);
            try {
                for (RegionalDatabase database : residency.databases()) {
                    // table is a checked identifier from a module's own constant, never input
                    database.jdbc().sql("VACUUM (FULL) " + table).update();
                }
            } catch (RuntimeException e) {
                pending.add(table);
                throw e;
            }
        }
    }
}
