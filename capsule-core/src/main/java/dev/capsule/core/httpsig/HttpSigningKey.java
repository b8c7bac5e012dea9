package dev.capsule.core.httpsig;

/**
 * A key that makes RFC 9421 signatures; it names its algorithm ({@code ed25519} or {@code hmac-sha256}).
 *
 * <p>Security guarantees: implementations never reveal their secret through {@code toString}.
 */
public sealed interface HttpSigningKey permits Ed25519HttpKey.Signing, HmacSha256HttpKey {
    /** The RFC 9421 algorithm name (§6.2 registry). */
    String algorithm();

    byte[] sign(byte[] signatureBase);
}
