package dev.capsule.server.audit.internal;

import dev.capsule.server.access.ApiKeyEvent;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the access module's {@link ApiKeyEvent}s to the log: {@code api-key.create}, {@code api-key.approve},
 * {@code api-key.revoke} (success, with the acting operator) and {@code api-key.authenticate} (failure,
 * with the reason and the client address as a pseudonym). The listener runs in the publisher's thread
 * and transaction, so a lifecycle change whose event cannot be queued is undone.
 *
 * <p>Security guarantees: an entry holds the key's public id, never its secret, name or scope as typed.
 */
@Component
class ApiKeyEventAudit {
    private final PendingQueue queue;
    private final PersonalDetails personal;

    ApiKeyEventAudit(PendingQueue queue, PersonalDetails personal) {
        this.queue = queue;
        this.personal = personal;
    }

    @EventListener
    void on(ApiKeyEvent event) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = switch (event) {
            case ApiKeyEvent.Created created -> lifecycle(eventId, AuditEventType.API_KEY_CREATE, created.actor().value(), created.keyId())
                    .detail(created.organisation().map(organisation -> "organisation " + organisation).orElse(null));
            case ApiKeyEvent.Approved approved -> lifecycle(eventId, AuditEventType.API_KEY_APPROVE, approved.actor().value(), approved.keyId());
            case ApiKeyEvent.Revoked revoked -> lifecycle(eventId, AuditEventType.API_KEY_REVOKE, revoked.actor().value(), revoked.keyId());
            case ApiKeyEvent.Refused refused -> {
                EntryFields refusal = new EntryFields(eventId, AuditEventType.API_KEY_AUTHENTICATE).outcome(SecurityEvent.Outcome.FAILURE)
                        .reason(refused.reason().code()).apiKey(refused.keyId());
                if (refused.clientAddress() != null) {
                    personal.address(refusal, eventId, null, bounded(refused.clientAddress()));
                }
                yield refusal;
            }
        };
        queue.add(eventId, fields);
    }

    private static EntryFields lifecycle(UUID eventId, AuditEventType type, UUID actor, String keyId) {
        return new EntryFields(eventId, type).outcome(SecurityEvent.Outcome.SUCCESS).actor(actor).apiKey(keyId);
    }

    static String bounded(String address) {
        return address.length() > DenialAudit.ADDRESS_CHARS_MAX ? address.substring(0, DenialAudit.ADDRESS_CHARS_MAX) : address;
    }
}
