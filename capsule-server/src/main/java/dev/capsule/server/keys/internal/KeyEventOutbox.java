package dev.capsule.server.keys.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.platform.ServerConsole;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On server nodes: publishes the key events the {@code capsule keys} console left in
 * {@code keys_event_outbox}, oldest first, each deleted in the transaction that publishes it (a
 * listener that fails leaves it for the next run; two nodes never publish the same row).
 */
@Component
@ConditionalOnProperty(name = ServerConsole.CONSOLE_PROPERTY, havingValue = "false", matchIfMissing = true)
class KeyEventOutbox {
    static final long INTERVAL_MILLIS = 5_000;
    /** Events published per run. */
    static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(KeyEventOutbox.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher publisher;

    KeyEventOutbox(JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.publisher = publisher;
    }

    @Scheduled(initialDelay = 1_000, fixedDelay = INTERVAL_MILLIS)
    void drain() {
        try {
            transactions.executeWithoutResult(status -> {
                List<Pending> pending = jdbc.sql("""
                        SELECT id, type, purpose, key_id, subject, actor FROM keys_event_outbox
                        ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED""").param("n", BATCH_SIZE)
                        .query((rs, n) -> new Pending(rs.getLong(1), new KeyEvent(kind(rs.getString(2)), rs.getString(3), rs.getString(4),
                                rs.getObject(5, java.util.UUID.class), actor(rs.getObject(6, java.util.UUID.class)))))
                        .list();
                for (Pending event : pending) {
                    publisher.publishEvent(event.event());
                    jdbc.sql("DELETE FROM keys_event_outbox WHERE id = :id").param("id", event.id()).update();
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not publish key events from the console (will retry): {}", e.getMessage());
        }
    }

    private static KeyEvent.Kind kind(String stored) {
        return KeyEvent.Kind.fromStored(stored).orElseThrow(() -> new IllegalStateException("unknown key event in the outbox: " + stored));
    }

    private static OperatorId actor(java.util.UUID actor) {
        return actor == null ? null : OperatorId.of(actor);
    }

    private record Pending(long id, KeyEvent event) {
    }
}
