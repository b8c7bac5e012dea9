package dev.capsule.server.keys;

import dev.capsule.server.access.OperatorId;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A key lifecycle change that happened (an attempt that fails publishes nothing: it rolls back), an
 * event of the keys module, published synchronously through Spring's
 * {@code ApplicationEventPublisher} (the audit module listens and writes it to the log as the catalogue
 * type of its {@link Kind}, docs/audit-events.md). Published inside the action, so a listener that
 * throws (an audit log that cannot be written) fails the action. Routine encryption, decryption and
 * signing are counted as metrics, never published one by one.
 *
 * <p>Security guarantees: an event never holds key material or data; {@code keyId} is a public name
 * of a key (the 64-hex {@code KeyId} of a signing key, or the 8-hex Tink key id of a data key).
 *
 * @param kind    what happened
 * @param purpose the purpose code of the key set ("audit-checkpoint", "operator-secrets", ...)
 * @param keyId   the key concerned, or null when the event concerns no single key (a subject erased)
 * @param subject the data subject, for {@link Kind#SUBJECT_KEY_ERASE}; otherwise null
 * @param actor   the operator who asked for it, or null for the server itself or the {@code capsule keys} console
 */
public record KeyEvent(Kind kind, String purpose, String keyId, UUID subject, OperatorId actor) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}|[0-9a-f]{64}");

    /**
     * What happened to a key. {@link #stored()} is the code the {@code keys_event_outbox} table holds
     * (unchanged since the table exists, so rows an older console left are still read).
     */
    public enum Kind {
        CREATE("key.created"), ROTATE("key.rotated"), RETIRE("key.retired"), DESTROY("key.destroyed"),
        SUBJECT_KEY_ERASE("subject-key.erased");

        private final String stored;

        Kind(String stored) {
            this.stored = stored;
        }

        public String stored() {
            return stored;
        }

        public static Optional<Kind> fromStored(String code) {
            for (Kind kind : values()) {
                if (kind.stored.equals(code)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    public KeyEvent {
        Objects.requireNonNull(kind, "kind");
        if (purpose == null || !CODE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("a purpose is a lower-case code, not " + purpose);
        }
        if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is 8 or 64 lower-case hex characters");
        }
    }

    /** An event about one key. */
    public static KeyEvent of(Kind kind, String purpose, String keyId, OperatorId actor) {
        return new KeyEvent(kind, purpose, keyId, null, actor);
    }
}
