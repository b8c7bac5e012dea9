package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.registry.RegistryEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the registry module's {@link RegistryEvent}s (organisations, their keys, uploads, reviews) to
 * the log. Runs synchronously in the publisher's thread and transaction, so a registry change whose
 * entry cannot be queued fails with it.
 *
 * <p>Security guarantees: an entry holds ids, versions and codes only (the event carries nothing else).
 */
@Component
class RegistryEventAudit {
    private final PendingQueue queue;

    RegistryEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(RegistryEvent event) {
        UUID eventId = UUID.randomUUID();
        String detail = event.organisation() == null ? event.detail()
                : "organisation " + event.organisation() + (event.detail() == null ? "" : " " + event.detail());
        queue.add(eventId, new EntryFields(eventId, type(event.activity()))
                .outcome(event.succeeded() ? SecurityEvent.Outcome.SUCCESS : SecurityEvent.Outcome.FAILURE)
                .actor(event.actor() == null ? null : event.actor().value())
                .apiKey(event.apiKey())
                .app(event.app() == null ? null : event.app().value())
                .detail(detail)
                .reason(event.reason()));
    }

    static AuditEventType type(RegistryEvent.Activity activity) {
        return switch (activity) {
            case ORGANISATION_REGISTER -> AuditEventType.ORGANISATION_REGISTER;
            case ORGANISATION_VERIFY -> AuditEventType.ORGANISATION_VERIFY;
            case ORGANISATION_ADD_MEMBER -> AuditEventType.ORGANISATION_ADD_MEMBER;
            case ORGANISATION_SUSPEND -> AuditEventType.ORGANISATION_SUSPEND;
            case ORGANISATION_LIFT_SUSPENSION -> AuditEventType.ORGANISATION_LIFT_SUSPENSION;
            case MINI_PROGRAM_REGISTER -> AuditEventType.MINI_PROGRAM_REGISTER;
            case DEVELOPER_KEY_ADD -> AuditEventType.DEVELOPER_KEY_ADD;
            case DEVELOPER_KEY_REVOKE -> AuditEventType.DEVELOPER_KEY_REVOKE;
            case PACKAGE_SUBMIT -> AuditEventType.PACKAGE_SUBMIT;
            case PACKAGE_EXCEPTION -> AuditEventType.PACKAGE_EXCEPTION;
            case PACKAGE_APPROVE -> AuditEventType.PACKAGE_APPROVE;
            case PACKAGE_REJECT -> AuditEventType.PACKAGE_REJECT;
        };
    }
}
