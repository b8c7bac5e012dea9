package dev.capsule.server.audit.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.KeyEvents;
import dev.capsule.server.audit.AuditTrail;
import dev.capsule.server.audit.SecurityEvent;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes the access module's API key events to the {@link AuditTrail}: {@code api-key.create},
 * {@code api-key.approve}, {@code api-key.revoke} (success, with the acting operator) and
 * {@code api-key.refused} (failure, with the reason and the client address). The time is the
 * database's, as for every event.
 *
 * <p>Security guarantees: an event holds the key's public id, never its secret, name or scope as
 * typed; lifecycle events are written inside the change's transaction (the access module calls this
 * there), so a change whose event cannot be written is undone; an actor that is not an operator's
 * {@code operator:<uuid>} is refused (an exception, which undoes the change) rather than recorded
 * without an actor.
 */
@Component
class KeyEventAudit implements KeyEvents {
    private final AuditTrail trail;

    KeyEventAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void record(KeyEvent event) {
        trail.record(switch (event) {
            case Created created -> lifecycle("api-key.create", created.actorId(), created.keyId());
            case Approved approved -> lifecycle("api-key.approve", approved.actorId(), approved.keyId());
            case Revoked revoked -> lifecycle("api-key.revoke", revoked.actorId(), revoked.keyId());
            case Refused refused -> new SecurityEvent("api-key.refused", SecurityEvent.Outcome.FAILURE, null, null,
                    refused.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), refused.clientAddress(), refused.keyId());
        });
    }

    private static SecurityEvent lifecycle(String type, String actorId, String keyId) {
        return new SecurityEvent(type, SecurityEvent.Outcome.SUCCESS, operatorId(actorId), null, null, null, keyId);
    }

    /** The operator's UUID in an actor id {@code operator:<uuid>}; only operators manage API keys. */
    static UUID operatorId(String actorId) {
        if (!actorId.startsWith(Caller.OPERATOR_PREFIX)) {
            throw new IllegalStateException("an API key change by a non-operator actor cannot be audited");
        }
        try {
            return UUID.fromString(actorId.substring(Caller.OPERATOR_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("an API key change by an operator without a stable id cannot be audited", e);
        }
    }
}
