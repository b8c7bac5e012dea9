package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditCorrelation;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Inserts events into {@code audit_pending}, in the caller's transaction if there is one; a failure is
 * thrown, and so is a queue over {@link Sequencer#PENDING_ENTRIES_MAX} (the action fails rather than going unaudited).
 * An entry queued while an operation runs under an incident ({@link AuditCorrelation}) gets the incident's id here, the
 * one place every writer passes. An entry with details sealed under a person's month key records that key
 * ({@code audit_detail_keys}, V117) in the same statement, so the two commit together and the record costs no round
 * trip of its own.
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
        Optional<PersonalDetails.DetailKey> key = fields.detailKey();
        if (key.isEmpty()) {
            jdbc.sql("INSERT INTO audit_pending (event_id, fields) VALUES (?, ?)").params(eventId, fields.json()).update();
        } else {
            jdbc.sql("""
                    WITH detail_key AS (
                        INSERT INTO audit_detail_keys (detail_key, operator_id, month) VALUES (:key, :person, :month)
                        ON CONFLICT DO NOTHING)
                    INSERT INTO audit_pending (event_id, fields) VALUES (:event, :fields)""")
                    .param("key", key.get().key()).param("person", key.get().person()).param("month", key.get().firstDay())
                    .param("event", eventId).param("fields", fields.json())
                    .update();
        }
        sequencer.recorded();
    }
}
