package dev.capsule.server.audit.internal;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Inserts events into {@code audit_pending}, in the caller's transaction if there is one; a failure is
 * thrown, and so is a queue over {@link Sequencer#PENDING_ENTRIES_MAX} (the action fails rather than going unaudited).
 */
@Component
class PendingQueue {
    private final JdbcClient jdbc;
    private final Sequencer sequencer;

    PendingQueue(JdbcClient jdbc, Sequencer sequencer) {
        this.jdbc = jdbc;
        this.sequencer = sequencer;
    }

    void add(UUID eventId, EntryFields fields) {
        sequencer.requireRoom();
        jdbc.sql("INSERT INTO audit_pending (event_id, fields) VALUES (?, ?)").params(eventId, fields.json()).update();
        sequencer.recorded();
    }
}
