package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditCorrelation;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Inserts events into {@code audit_pending}, in the caller's transaction if there is one; a failure is
 * thrown, and so is a queue over {@link Sequencer#PENDING_ENTRIES_MAX} (the action fails rather than going unaudited).
 * An entry queued while an operation runs under an incident ({@link AuditCorrelation}) gets the incident's id here, the
 * one place every writer passes.
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
        AuditCorrelation.currentIncident().ifPresent(fields::incident);
        jdbc.sql("INSERT INTO audit_pending (event_id, fields) VALUES (?, ?)").params(eventId, fields.json()).update();
        sequencer.recorded();
    }
}
