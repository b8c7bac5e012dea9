package dev.capsule.server.payments.internal.merchants;

import java.util.Arrays;

/**
 * A shared secret (an HMAC request key, a webhook secret) as the server holds it after opening it with the keys
 * module's {@code FieldEncryption} under {@code merchant-secrets}.
 *
 * <p>Security guarantees: {@link #toString()} redacts; {@link #bytes()} returns a copy; compare with
 * {@code MessageDigest.isEqual}, never {@code equals}.
 */
public final class MerchantSecret {
    private final byte[] bytes;

    public MerchantSecret(byte[] bytes) {
        if (bytes == null || bytes.length < 32 || bytes.length > 64) {
            throw new IllegalArgumentException("a merchant secret has 32 to 64 bytes");
        }
        this.bytes = bytes.clone();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Zeroes the copy this object holds (callers drop it after use). */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "MerchantSecret[redacted]";
    }
}
