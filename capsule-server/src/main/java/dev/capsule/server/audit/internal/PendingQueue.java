package dev.capsule.server.audit.internal;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Inserts events into {@code audit_pending}, in the caller's transaction if there is one; a failure is thrown. */
@Component
class PendingQueue {
    private final JdbcClient jdbc;
    private final Sequencer sequencer;

    PendingQueue(JdbcClient jdbc, Sequencer sequencer) {
        this.jdbc = jdbc;
        this.sequencer = sequencer;
    }

    void add(UUID eventId, EntryFields fields) {
        jdbc.sql("INSERT INTO audit_pending (event_id, fields) VALUES (?, ?)").params(eventId, fields.json()).update();
        sequencer.recorded();
    }
}
