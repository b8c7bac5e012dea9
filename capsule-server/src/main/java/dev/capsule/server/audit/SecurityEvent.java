package dev.capsule.server.audit;

import dev.capsule.server.access.OperatorId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One security event of the identity module (sign-in, MFA, operator administration), published
 * synchronously through Spring's {@code ApplicationEventPublisher}; the audit module listens and appends
 * it to the log. The listener runs in the publisher's thread and transaction, so the event commits or
 * rolls back with the action, and a failure to record fails the action. Every field is an identifier
 * or a short code, so no secret or free text typed by a person can end up in the audit log.
 *
 * <p>Security guarantees: the type is one of the catalogue's ({@link AuditEventType}) for the identity
 * module; the client address is stored only as a keyed pseudonym and sealed under the data key of the
 * operator concerned.
 *
 * @param type          what happened
 * @param outcome       success or failure
 * @param actor         the operator who acted, if known (pseudonymous: an id, never a name)
 * @param subject       the operator acted upon, if any and known
 * @param reason        a lower-case code saying why ("wrong-password", "replayed"), or null
 * @param sourceAddress the client's IP address, or null
 */
public record SecurityEvent(AuditEventType type, Outcome outcome, OperatorId actor, OperatorId subject, String reason,
        String sourceAddress) {
    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** IPv6 with a zone is at most 45 + zone characters; anything longer is not an address. */
    public static final int SOURCE_ADDRESS_CHARS_MAX = 64;

    /** Whether the action happened: success, failure (attempted, did not happen) or denied (refused by policy). */
    public enum Outcome {
        SUCCESS, FAILURE, DENIED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SecurityEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outcome, "outcome");
        if (type.emitter() != AuditEventType.Emitter.IDENTITY) {
            throw new IllegalArgumentException(type.code() + " is not an identity event; its module publishes its own record");
        }
        if (reason != null && !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("event reason must be a lower-case code: " + reason);
        }
        if (sourceAddress != null && sourceAddress.length() > SOURCE_ADDRESS_CHARS_MAX) {
            sourceAddress = sourceAddress.substring(0, SOURCE_ADDRESS_CHARS_MAX);
        }
    }

    public static SecurityEvent success(AuditEventType type, OperatorId actor, OperatorId subject, String sourceAddress) {
        return new SecurityEvent(type, Outcome.SUCCESS, actor, subject, null, sourceAddress);
    }

    public static SecurityEvent failure(AuditEventType type, OperatorId actor, OperatorId subject, String reason, String sourceAddress) {
        return new SecurityEvent(type, Outcome.FAILURE, actor, subject, reason, sourceAddress);
    }
}
