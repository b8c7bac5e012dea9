package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.keys.KeyEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the keys module's {@link KeyEvent}s (keys created, rotated, retired, destroyed; subject keys
 * erased) to the log. The listener runs synchronously in the publisher's thread and transaction, so a
 * key action whose event cannot be queued fails with it.
 *
 * <p>Security guarantees: an entry holds the key's public id and purpose, the operator and subject ids,
 * never key material (the event carries none).
 */
@Component
class KeyEventAudit {
    private final PendingQueue queue;

    KeyEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(KeyEvent event) {
        UUID eventId = UUID.randomUUID();
        queue.add(eventId, new EntryFields(eventId, type(event.kind()))
                .outcome(SecurityEvent.Outcome.SUCCESS)
                .key(event.keyId(), event.purpose())
                .actor(event.actor() == null ? null : event.actor().value())
                .subject(event.subject()));
    }

    static AuditEventType type(KeyEvent.Kind kind) {
        return switch (kind) {
            case CREATE -> AuditEventType.KEY_CREATE;
            case ROTATE -> AuditEventType.KEY_ROTATE;
            case RETIRE -> AuditEventType.KEY_RETIRE;
            case DESTROY -> AuditEventType.KEY_DESTROY;
            case SUBJECT_KEY_ERASE -> AuditEventType.SUBJECT_KEY_ERASE;
        };
    }
}
