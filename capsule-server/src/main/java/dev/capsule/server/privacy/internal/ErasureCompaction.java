package dev.capsule.server.privacy.internal;

import dev.capsule.server.privacy.PersonalDataHolder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes an erased person's clear-text rows leave the database's files: a DELETE only marks a row dead and a plain
 * VACUUM may leave its bytes in free space, so after an erasure every holder's {@link
 * PersonalDataHolder#rewrittenAfterErasure} table is rewritten ({@code VACUUM (FULL)}), at most every {@value
 * #INTERVAL_MILLIS} ms on each node, not per erasure (the keys module does the same for destroyed keys).
 *
 * <p>What remains: the write-ahead log and backups taken before the rewrite (docs/privacy.md, docs/keys.md).
 */
@Component
class ErasureCompaction {
    static final long INTERVAL_MILLIS = 60_000;
    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Logger log = LoggerFactory.getLogger(ErasureCompaction.class);

    private final JdbcClient jdbc;
    private final Set<String> tables;
    private final AtomicBoolean pending = new AtomicBoolean();

    ErasureCompaction(JdbcClient jdbc, List<PersonalDataHolder> holders) {
        this.jdbc = jdbc;
        Set<String> tables = new TreeSet<>();
        for (PersonalDataHolder holder : holders) {
            for (String table : holder.rewrittenAfterErasure()) {
                if (!TABLE.matcher(table).matches() || !holder.tables().contains(table)) {
                    throw new IllegalStateException(holder.name() + " may rewrite only its own tables, named as SQL identifiers: " + table);
                }
                tables.add(table);
            }
        }
        this.tables = Set.copyOf(tables);
    }

    /** An erasure happened: rewrite at the next run. */
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
                log.warn("could not rewrite tables after an erasure (will retry): {}", e.getClass().getSimpleName());
            }
        }
    }

    /** Rewrites the tables now (outside any transaction: VACUUM cannot run inside one). */
    void compactNow() {
        for (String table : new TreeSet<>(tables)) {
            // table is a checked identifier of a holder's own declaration, never input
            jdbc.sql("VACUUM (FULL) " + table).update();
        }
    }
}
