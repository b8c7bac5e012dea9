package dev.capsule.core.json;

import dev.capsule.core.text.SafeText;

/** JSON that does not match the expected shape; the message names the field path and the problem. */
public final class JsonFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonFormatException(String message) {
        super(SafeText.escape(message));
    }
}
