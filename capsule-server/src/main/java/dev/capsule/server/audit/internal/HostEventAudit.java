package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.keys.Pseudonyms;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the host module's {@link HostEvent}s (session grants, shell sign-ins, consent decisions and revocations,
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
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern API_KEY = Pattern.compile("apikey:([0-9a-f]{16})");
    private static final Pattern OPERATOR = Pattern.compile("operator:([0-9a-f-]{36})");

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
                .outcome(outcome(event.outcome()))
                .app(event.app().map(Object::toString).orElse(null))
                .user(event.user().map(user -> pseudonyms.tag("shell-user:" + user.value())).orElse(null));
        Optional<String> detail = event.detail().filter(text -> !text.isEmpty());
        if (detail.isPresent() && !"success".equals(event.outcome()) && CODE.matcher(detail.get()).matches()) {
            fields.reason(detail.get());
        } else {
            fields.detail(detail.map(HostEventAudit::bounded).orElse(null));
        }
        event.actor().ifPresent(actor -> {
            var key = API_KEY.matcher(actor);
            var operator = OPERATOR.matcher(actor);
            if (key.matches()) {
                fields.apiKey(key.group(1));
            } else if (operator.matches()) {
                fields.actor(UUID.fromString(operator.group(1)));
            }
        });
        queue.add(eventId, fields);
    }

    static AuditEventType type(HostEvent.Kind kind) {
        return switch (kind) {
            case GRANT_ISSUE -> AuditEventType.SESSION_GRANT_ISSUE;
            case SHELL_ENTER -> AuditEventType.SHELL_ENTER;
            case CONSENT_DECIDE -> AuditEventType.CONSENT_DECIDE;
            case CONSENT_REVOKE -> AuditEventType.CONSENT_REVOKE;
            case SESSION_OPEN -> AuditEventType.SESSION_OPEN;
            case SESSION_END -> AuditEventType.SESSION_END;
            case SESSION_REFUSE -> AuditEventType.SESSION_REFUSE;
        };
    }

    /** The three outcomes the log knows; anything else a publisher wrote is recorded as a failure. */
    private static dev.capsule.server.audit.SecurityEvent.Outcome outcome(String outcome) {
        return switch (outcome) {
            case "success" -> dev.capsule.server.audit.SecurityEvent.Outcome.SUCCESS;
            case "denied" -> dev.capsule.server.audit.SecurityEvent.Outcome.DENIED;
            default -> dev.capsule.server.audit.SecurityEvent.Outcome.FAILURE;
        };
    }

    private static String bounded(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", " ");
        if (oneLine.length() <= EntryFields.TEXT_CHARS_MAX) {
            return oneLine;
        }
        int end = EntryFields.TEXT_CHARS_MAX;
        // Never cut between the two halves of a surrogate pair (the entry must stay well-formed text).
        return oneLine.substring(0, Character.isHighSurrogate(oneLine.charAt(end - 1)) ? end - 1 : end);
    }
}
