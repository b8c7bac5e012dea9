package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.keys.Pseudonyms;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the host module's {@link HostEvent}s (session grants, shell sign-ins, consent decisions, withdrawals and allowances,
 * sessions opened, ended and refused) to the log. The listener runs synchronously in the publisher's thread, so an
 * event that cannot be queued fails the action that published it.
 *
 * <p>Security guarantees: the end user appears only as a pseudonym ({@link Pseudonyms#tag} of
 * {@code "shell-user:" + id}), never as the super-app's account id; a non-success outcome's detail is written as a
 * {@code reason} when it is a code, otherwise as bounded text (cut, never refused, so an odd detail cannot make an
 * event go unrecorded); the actor is an API key's public id or an operator's id, never a secret.
 */
@Component
class HostEventAudit {
    private final PendingQueue queue;
    private final Pseudonyms pseudonyms;

    HostEventAudit(PendingQueue queue, Pseudonyms pseudonyms) {
        this.queue = queue;
        this.pseudonyms = pseudonyms;
    }

    @EventListener
    void on(HostEvent event) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = new EntryFields(eventId, type(event.kind()))
                .outcome(ModuleEventFields.outcome(event.outcome()))
                .app(event.app().map(Object::toString).orElse(null))
                .user(event.user().map(user -> pseudonyms.tag("shell-user:" + user.value())).orElse(null));
        ModuleEventFields.reasonOrDetail(fields, event.outcome(), event.detail());
        ModuleEventFields.actor(fields, event.actor());
        queue.add(eventId, fields);
    }

    static AuditEventType type(HostEvent.What kind) {
        return switch (kind) {
            case GRANT_ISSUE -> AuditEventType.SESSION_GRANT_ISSUE;
            case SHELL_ENTER -> AuditEventType.SHELL_ENTER;
            case CONSENT_DECIDE -> AuditEventType.CONSENT_DECIDE;
            case CONSENT_WITHDRAW -> AuditEventType.CONSENT_WITHDRAW;
            case CONSENT_ALLOW -> AuditEventType.CONSENT_ALLOW;
            case SESSION_OPEN -> AuditEventType.SESSION_OPEN;
            case SESSION_END -> AuditEventType.SESSION_END;
            case SESSION_REFUSE -> AuditEventType.SESSION_REFUSE;
            case RESIDENCY_REFUSE -> AuditEventType.RESIDENCY_REFUSE;
        };
    }
}
