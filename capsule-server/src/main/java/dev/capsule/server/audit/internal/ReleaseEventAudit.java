package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.releases.ReleaseEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the releases module's {@link ReleaseEvent}s (publish, rollout, pause, resume, rollback, revoke, minimum
 * runtime; done or refused) to the log. The listener runs synchronously in the publisher's transaction, so a
 * release action whose event cannot be queued fails with it.
 *
 * <p>Security guarantees: an entry holds the operator's id, the app id, the version and a refusal code only.
 */
@Component
class ReleaseEventAudit {
    private final PendingQueue queue;

    ReleaseEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(ReleaseEvent event) {
        UUID eventId = UUID.randomUUID();
        queue.add(eventId, new EntryFields(eventId, type(event.action()))
                .outcome(event.refused() ? SecurityEvent.Outcome.FAILURE : SecurityEvent.Outcome.SUCCESS)
                .actor(event.actor().value())
                .app(event.app() == null ? null : event.app().value())
                .detail(event.version() == null ? null : event.version() + (event.percent() == null ? "" : " at " + event.percent() + "%"))
                .reason(event.refusal()));
    }

    static AuditEventType type(ReleaseEvent.Action action) {
        return switch (action) {
            case PUBLISH -> AuditEventType.RELEASE_PUBLISH;
            case ROLLOUT -> AuditEventType.RELEASE_ROLLOUT;
            case PAUSE -> AuditEventType.RELEASE_PAUSE;
            case RESUME -> AuditEventType.RELEASE_RESUME;
            case ROLLBACK -> AuditEventType.RELEASE_ROLLBACK;
            case REVOKE -> AuditEventType.RELEASE_REVOKE;
            case MINIMUM_RUNTIME -> AuditEventType.RUNTIME_MINIMUM_SET;
        };
    }
}
