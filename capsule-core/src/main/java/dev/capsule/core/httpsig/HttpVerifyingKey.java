package dev.capsule.core.httpsig;

/**
 * A key that checks RFC 9421 signatures with exactly one algorithm: the key pins it, the message never chooses it.
 *
 * <p>Security guarantees: {@link #verify} is false (never an exception) for a signature of the wrong length or
 * value; HMAC comparison is constant-time.
 */
public sealed interface HttpVerifyingKey permits Ed25519HttpKey.Verifying, HmacSha256HttpKey {
    /** The RFC 9421 algorithm name (§6.2 registry). */
    String algorithm();

    boolean verify(byte[] signatureBase, byte[] signature);
}
