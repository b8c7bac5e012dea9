package dev.capsule.server.keys;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A key lifecycle event, published synchronously through Spring's {@code ApplicationEventPublisher}
 * by the keys module (the audit module listens). Published inside the action, so a listener that
 * throws (an audit log that cannot be written) fails the action. Routine encryption, decryption and
 * signing are counted as metrics, never published one by one.
 *
 * <p>Security guarantees: an event never holds key material or data; {@code keyId} is a public name
 * of a key (the 64-hex {@code KeyId} of a signing key, or the 8-hex Tink key id of a data key).
 *
 * @param type    what happened: one of the {@code TYPE_*} codes ("key.rotated")
 * @param purpose the purpose code of the key set ("audit-checkpoint", "operator-secrets", ...)
 * @param keyId   the key concerned, or null when the event concerns no single key (a subject erased)
 * @param subject the data subject, for {@link #TYPE_SUBJECT_KEY_ERASED}; otherwise null
 * @param actor   the operator who asked for it, or null for the server itself or the {@code capsule keys} console
 * @param outcome whether it succeeded
 */
public record KeyEvent(String type, String purpose, String keyId, UUID subject, UUID actor, Outcome outcome) {
    public static final String TYPE_CREATED = "key.created";
    public static final String TYPE_ROTATED = "key.rotated";
    public static final String TYPE_RETIRED = "key.retired";
    public static final String TYPE_DESTROYED = "key.destroyed";
    public static final String TYPE_SUBJECT_KEY_ERASED = "subject-key.erased";

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,62}(\\.[a-z][a-z0-9-]{0,62})?");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}|[0-9a-f]{64}");

    /** Whether the action happened. */
    public enum Outcome {
        SUCCESS, FAILURE;

        /** "success" or "failure". */
        public String code() {
            return this == SUCCESS ? "success" : "failure";
        }
    }

    public KeyEvent {
        if (type == null || !CODE.matcher(type).matches()) {
            throw new IllegalArgumentException("an event type is a lower-case code like key.rotated, not " + type);
        }
        if (purpose == null || !CODE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("a purpose is a lower-case code, not " + purpose);
        }
        if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 8 or 64 lower-case hex characters");
        }
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A successful event about one key. */
    public static KeyEvent of(String type, String purpose, String keyId, UUID actor) {
        return new KeyEvent(type, purpose, keyId, null, actor, Outcome.SUCCESS);
    }
}
