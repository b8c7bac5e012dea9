package dev.capsule.server.keys.internal;

import com.google.crypto.tink.subtle.Hkdf;
import java.security.GeneralSecurityException;

/** HKDF-SHA256 (RFC 5869, Tink's implementation): how the keystore key is derived from the master secret. */
final class KeyDerivation {
    /** RFC 5869: at most 255 blocks of the hash's output. */
    static final int OUTPUT_BYTES_MAX = 255 * 32;

    private KeyDerivation() {
    }

    /**
     * HKDF-SHA256 of {@code ikm} with {@code salt} and {@code info}.
     *
     * @throws IllegalArgumentException for a length outside 1..{@value #OUTPUT_BYTES_MAX}
     */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > OUTPUT_BYTES_MAX) {
            throw new IllegalArgumentException("HKDF-SHA256 derives 1 to " + OUTPUT_BYTES_MAX + " bytes, not " + length);
        }
        try {
            return Hkdf.computeHkdf("HMACSHA256", ikm, salt, info, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available", e);
        }
    }
}
