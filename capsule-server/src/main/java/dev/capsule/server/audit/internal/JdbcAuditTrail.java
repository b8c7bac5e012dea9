package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditTrail;
import dev.capsule.server.audit.SecurityEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link AuditTrail} on the append-only {@code security_events} table (a trigger refuses UPDATE,
 * DELETE and TRUNCATE). The time is the database's, so events from several nodes order by one clock.
 */
@Component
class JdbcAuditTrail implements AuditTrail {
    private final JdbcClient jdbc;

    JdbcAuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(SecurityEvent event) {
        jdbc.sql("""
                INSERT INTO security_events (event_type, outcome, actor_id, subject_id, reason, source_address, api_key_id)
                VALUES (:type, :outcome, :actor, :subject, :reason, :address, :apiKey)""")
                .param("type", event.type())
                .param("outcome", event.outcome().code())
                .param("actor", event.actorId())
                .param("subject", event.subjectId())
                .param("reason", event.reason())
                .param("address", event.sourceAddress())
                .param("apiKey", event.apiKeyId())
                .update();
    }
}
