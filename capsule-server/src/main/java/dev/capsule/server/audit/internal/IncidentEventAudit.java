package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.IncidentEvent;
import dev.capsule.server.audit.SecurityEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the incidents module's {@link IncidentEvent}s (opened, contained, closed, noted; or refused) to the log, in the
 * publisher's thread and transaction, so an incident step whose entry cannot be queued fails with it.
 *
 * <p>Security guarantees: an entry holds the incident's id, the operator's id and codes only.
 */
@Component
class IncidentEventAudit {
    private final PendingQueue queue;

    IncidentEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(IncidentEvent event) {
        UUID eventId = UUID.randomUUID();
        queue.add(eventId, new EntryFields(eventId, event.step().type())
                .outcome(event.refused() ? SecurityEvent.Outcome.FAILURE : SecurityEvent.Outcome.SUCCESS)
                .actor(event.actor().value())
                .incident(event.incident())
                .detail(event.detail())
                .reason(event.refusal()));
    }
}
