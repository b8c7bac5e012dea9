package dev.capsule.core.crypto;

import dev.capsule.core.text.SafeText;

/** A key file or encoding is not what Capsule accepts; the message says exactly why. */
public final class KeyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) {
        super(SafeText.escape(message));
    }
}
