package dev.capsule.core.httpsig;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9421 §3.3.4 {@code hmac-sha256}: HMAC-SHA256 (the JDK's {@link Mac}) over the signature base with a shared
 * secret; signs and verifies.
 *
 * <p>Security guarantees: holds a copy of the secret, zeroed by {@link #destroy()}; {@link #toString()} redacts;
 * verification compares in constant time ({@link MessageDigest#isEqual}).
 */
public final class HmacSha256HttpKey implements HttpSigningKey, HttpVerifyingKey {
    public static final String ALGORITHM = "hmac-sha256";
    /** Shortest secret accepted: 256 bits, the output size (RFC 2104 §3 recommends at least that much). */
    public static final int SECRET_BYTES_MIN = 32;
    /** Longest secret accepted: one SHA-256 block. */
    public static final int SECRET_BYTES_MAX = 64;

    private final byte[] secret;

    public HmacSha256HttpKey(byte[] secret) {
        if (secret == null || secret.length < SECRET_BYTES_MIN || secret.length > SECRET_BYTES_MAX) {
            throw new IllegalArgumentException("an hmac-sha256 secret has " + SECRET_BYTES_MIN + " to " + SECRET_BYTES_MAX + " bytes");
        }
        this.secret = secret.clone();
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public byte[] sign(byte[] signatureBase) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signatureBase);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    @Override
    public boolean verify(byte[] signatureBase, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(signatureBase), signature);
    }

    /** Zeroes this object's copy of the secret. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "HmacSha256HttpKey[secret redacted]";
    }
}
