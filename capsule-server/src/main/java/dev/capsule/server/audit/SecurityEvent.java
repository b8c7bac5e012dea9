package dev.capsule.server.audit;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One security event. Every field is either an identifier or a short code, so no secret or free text
 * typed by a person can end up in the audit trail.
 *
 * @param type          what happened, dotted lower-case ("sign-in.password", "operator.roles")
 * @param outcome       success, failure or denied
 * @param actorId       the operator who acted, if known (pseudonymous: an id, never a name)
 * @param subjectId     the operator acted upon, if any and known
 * @param reason        a lower-case code saying why ("wrong-password", "replayed"), or null
 * @param sourceAddress the client's IP address, or null
 * @param apiKeyId      the API key concerned, by its public id (16 hex digits, never the secret), or null
 */
public record SecurityEvent(String type, Outcome outcome, UUID actorId, UUID subjectId, String reason, String sourceAddress,
        String apiKeyId) {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern API_KEY_ID = Pattern.compile("[0-9a-f]{16}");
    /** IPv6 with a zone is at most 45 + zone characters; anything longer is not an address. */
    public static final int SOURCE_ADDRESS_CHARS_MAX = 64;

    public enum Outcome {
        SUCCESS, FAILURE, DENIED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SecurityEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outcome, "outcome");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type must be dotted lower-case words: " + type);
        }
        if (reason != null && !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("event reason must be a lower-case code: " + reason);
        }
        if (sourceAddress != null && sourceAddress.length() > SOURCE_ADDRESS_CHARS_MAX) {
            sourceAddress = sourceAddress.substring(0, SOURCE_ADDRESS_CHARS_MAX);
        }
        if (apiKeyId != null && !API_KEY_ID.matcher(apiKeyId).matches()) {
            throw new IllegalArgumentException("an API key id is 16 hex digits");
        }
    }

    /** An event that concerns no API key. */
    public SecurityEvent(String type, Outcome outcome, UUID actorId, UUID subjectId, String reason, String sourceAddress) {
        this(type, outcome, actorId, subjectId, reason, sourceAddress, null);
    }

    public static SecurityEvent success(String type, UUID actorId, UUID subjectId, String sourceAddress) {
        return new SecurityEvent(type, Outcome.SUCCESS, actorId, subjectId, null, sourceAddress);
    }

    public static SecurityEvent failure(String type, UUID actorId, UUID subjectId, String reason, String sourceAddress) {
        return new SecurityEvent(type, Outcome.FAILURE, actorId, subjectId, reason, sourceAddress);
    }
}
