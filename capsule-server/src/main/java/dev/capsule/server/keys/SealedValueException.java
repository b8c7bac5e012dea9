package dev.capsule.server.keys;

/**
 * A sealed value did not open: altered, moved to another place or subject, or made under a key this
 * platform never had. The causes are deliberately indistinguishable.
 */
public final class SealedValueException extends RuntimeException {
    public SealedValueException() {
        super("a sealed value does not open here (altered, moved or not sealed by this platform)");
    }
}
