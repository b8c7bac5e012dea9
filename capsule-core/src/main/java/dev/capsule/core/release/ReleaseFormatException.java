package dev.capsule.core.release;

import dev.capsule.core.text.SafeText;

/** A release-log document (entry, bundle, revocation list, trust file, client state) that does not match its format. */
public final class ReleaseFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReleaseFormatException(String message) {
        super(SafeText.escape(message));
    }
}
