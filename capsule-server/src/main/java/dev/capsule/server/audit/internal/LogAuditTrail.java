package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditTrail;
import dev.capsule.server.audit.SecurityEvent;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@link AuditTrail} on the Merkle log: {@link #record} queues the event in {@code audit_pending} in the
 * caller's transaction (so the event and the action it records commit or roll back together, and the
 * event is durable once the caller's transaction commits); the {@link Sequencer} appends it to the log
 * within {@link Sequencer#INTERVAL_MILLIS} or so.
 */
@Component
class LogAuditTrail implements AuditTrail {
    private final PendingQueue queue;
    private final SecurityEventEntries entries;

    LogAuditTrail(PendingQueue queue, SecurityEventEntries entries) {
        this.queue = queue;
        this.entries = entries;
    }

    @Override
    public void record(SecurityEvent event) {
        UUID eventId = UUID.randomUUID();
        queue.add(eventId, entries.fields(eventId, event));
    }
}
