package dev.capsule.runtime.storage;

import dev.capsule.core.text.SafeText;
import java.util.Objects;

/**
 * A storage operation failed and changed nothing: a {@link Reason} for the bridge and a one-line,
 * escaped message ({@link SafeText}). Messages never quote keys or values, which are the user's data.
 */
public final class StorageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a storage operation failed. Each has a stable code for {@code errMsg} and tests. */
    public enum Reason {
        /** The area would exceed its byte quota or key count. */
        QUOTA_EXCEEDED("quota-exceeded"),
        /** One value exceeds the per-value limit. */
        VALUE_TOO_LARGE("value-too-large"),
        /** A value is not well-formed Unicode (a lone surrogate), so it cannot be stored exactly. */
        VALUE_INVALID("value-invalid"),
        /** A key is empty, too long or not well-formed Unicode. */
        KEY_INVALID("key-invalid"),
        /**
         * Stored data failed to decrypt or authenticate, or is malformed. Deliberately one reason
         * and one message for every such cause, so failures cannot be told apart.
         */
        UNREADABLE("unreadable"),
        /** The backing store failed (disk full, permissions). */
        IO("io");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** Stable, lower-case, hyphenated code. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public StorageException(Reason reason, String message) {
        this(reason, message, null);
    }

    public StorageException(Reason reason, String message, Throwable cause) {
        super(SafeText.escape(message), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
