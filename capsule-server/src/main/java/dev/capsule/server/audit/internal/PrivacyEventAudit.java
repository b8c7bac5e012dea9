package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.privacy.PrivacyEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the privacy module's {@link PrivacyEvent}s (data-subject requests filed, verified, carried out or failed) to
 * the log, in the publisher's transaction. An erasure's entry is its certificate's anchor: the SHA-256 of the
 * certificate stored with the request, and the data-subject keys it destroyed.
 *
 * <p>Security guarantees: the person appears only as their pseudonym (the shell's {@code user}), the request by its
 * id, the operator by their id; no value of the person's data ever reaches the log.
 */
@Component
class PrivacyEventAudit {
    private final PendingQueue queue;

    PrivacyEventAudit(PendingQueue queue) {
        this.queue = queue;
    }

    @EventListener
    void on(PrivacyEvent event) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = new EntryFields(eventId, type(event.kind()))
                .outcome(event.kind() == PrivacyEvent.Step.REQUEST_FAIL ? "failure" : "success")
                .reason(event.requestKind().code())
                .detail(event.request().toString())
                .user(event.subjectTag())
                .actor(event.actor().map(operator -> operator.value()).orElse(null));
        event.certificate().ifPresent(certificate -> fields.certificate(certificate.sha256(), certificate.subjectKeys()));
        queue.add(eventId, fields);
    }

    static AuditEventType type(PrivacyEvent.Step kind) {
        return switch (kind) {
            case REQUEST_FILE -> AuditEventType.PRIVACY_REQUEST_FILE;
            case REQUEST_VERIFY -> AuditEventType.PRIVACY_REQUEST_VERIFY;
            case EXPORT_DONE -> AuditEventType.PRIVACY_EXPORT;
            case ERASURE_DONE -> AuditEventType.PRIVACY_ERASURE;
            case REQUEST_FAIL -> AuditEventType.PRIVACY_REQUEST_FAIL;
        };
    }
}
