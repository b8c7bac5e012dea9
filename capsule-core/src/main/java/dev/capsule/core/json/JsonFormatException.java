package dev.capsule.core.json;

/** JSON that does not match the expected shape; the message names the field path and the problem. */
public final class JsonFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonFormatException(String message) {
        super(message);
    }
}
