package dev.capsule.server.keys;

/**
 * A sealed value did not open: altered, moved to another place or subject, or made under a key this
 * platform never had. The causes are deliberately indistinguishable.
 *
 * <p>Security guarantees: the message and type are the same for every cause and carry no detail of
 * the value, the key or the place, so a caller learns nothing by probing.
 */
public final class SealedValueException extends RuntimeException {
    public SealedValueException() {
        super("a sealed value does not open here (altered, moved or not sealed by this platform)");
    }
}
