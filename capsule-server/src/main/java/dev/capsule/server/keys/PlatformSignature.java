package dev.capsule.server.keys;

import dev.capsule.core.crypto.VerifyingKey;
import java.util.Objects;

/**
 * An Ed25519 signature (RFC 8032, 64 bytes) made by a platform key, with the public key that checks it.
 *
 * <p>Security guarantees: a plain RFC 8032 signature (no prefix or envelope), verifiable by any
 * Ed25519 implementation; the byte array is copied in and out, so a holder cannot alter it in place.
 *
 * @param key       the public key of the key that signed
 * @param signature the 64-byte signature over exactly the bytes given to {@link PlatformSigner#sign}
 */
public record PlatformSignature(VerifyingKey key, byte[] signature) {
    public static final int LENGTH_BYTES = 64;

    public PlatformSignature {
        Objects.requireNonNull(key, "key");
        if (signature == null || signature.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature has " + LENGTH_BYTES + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
