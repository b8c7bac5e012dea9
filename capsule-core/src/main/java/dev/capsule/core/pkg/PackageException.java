package dev.capsule.core.pkg;

import dev.capsule.core.text.SafeText;
import java.util.Objects;

/**
 * A package was rejected: a {@link Reason} and a one-line message naming what and where. The message
 * may quote package content, so it is escaped ({@link SafeText}).
 */
public final class PackageException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    public PackageException(Reason reason, String message) {
        super(SafeText.escape(message));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
