package dev.capsule.core.auth.totp;

import dev.capsule.core.auth.Base32;
import dev.capsule.core.crypto.SecretAccess;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The shared secret of a TOTP authenticator (RFC 6238 §5.1: the HOTP key K).
 *
 * <p>Security guarantees: generated secrets are {@value #GENERATED_BYTES} bytes (160 bits, RFC 4226
 * §4's recommended length) from the JDK's {@link SecureRandom}; secrets shorter than
 * {@value #BYTES_MIN} bytes (RFC 4226's minimum of 128 bits) are refused. The bytes are reachable only
 * through {@link #bytes(SecretAccess)} and {@link #base32(SecretAccess)}; {@link #toString()} redacts.
 * Instances are immutable (bytes are copied in and out). Storing the secret (encrypted at rest) is the
 * caller's job: unlike a password it must be recoverable to check a code.
 */
public final class TotpSecret {
    /** RFC 4226 §4 requires at least 128 bits. */
    public static final int BYTES_MIN = 16;
    /** A SHA-512 block; nothing longer is useful as an HMAC key. */
    public static final int BYTES_MAX = 64;
    /** 160 bits, RFC 4226's recommendation and the HMAC-SHA-1 output length. */
    public static final int GENERATED_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private TotpSecret(byte[] bytes) {
        if (bytes.length < BYTES_MIN || bytes.length > BYTES_MAX) {
            throw new IllegalArgumentException("a TOTP secret must be " + BYTES_MIN + " to " + BYTES_MAX + " bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A new random secret of {@value #GENERATED_BYTES} bytes. */
    public static TotpSecret generate() {
        byte[] fresh = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(fresh);
        return new TotpSecret(fresh);
    }

    /** A secret with these bytes (copied). */
    public static TotpSecret fromBytes(byte[] bytes) {
        return new TotpSecret(Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * A secret from its strict RFC 4648 base32 text (as stored or as shown in an otpauth URI).
     *
     * @throws IllegalArgumentException if the text is not strict base32 or the length is out of range
     */
    public static TotpSecret fromBase32(CharSequence base32) {
        Objects.requireNonNull(base32, "base32");
        // Bound the work before decoding: 64 bytes are 103 characters with padding.
        if (base32.length() > 2 * BYTES_MAX) {
            throw new IllegalArgumentException("a TOTP secret must be " + BYTES_MIN + " to " + BYTES_MAX + " bytes");
        }
        return new TotpSecret(Base32.decode(base32));
    }

    /** A copy of the secret bytes. */
    public byte[] bytes(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        return bytes.clone();
    }

    /** The secret as unpadded upper-case base32, the form authenticator apps take. */
    public String base32(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        return Base32.encode(bytes);
    }

    /** Package-private: the generator and verifier use the bytes without copying. */
    byte[] keyBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "TotpSecret[redacted]";
    }
}
