package dev.capsule.server.payments.internal.webhooks;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * One version of an endpoint's signing material: a {@code whsec_} HMAC-SHA256 secret (Standard Webhooks' symmetric
 * scheme, {@code v1}) and an Ed25519 key pair of the endpoint's own (the asymmetric scheme, {@code v1a}; the merchant
 * gets the public key as {@code whpk_…}). Per-endpoint keys, as the spec recommends: a key shown to one merchant never
 * verifies another's webhooks, and rotating one endpoint touches no other.
 *
 * <p>Security guarantees: {@link #toString()} redacts; accessors return copies; {@link #destroy()} zeroes this copy.
 */
public final class WebhookSigningKey {
    /** The spec's serialisation prefix of a symmetric secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** The spec's serialisation prefix of an Ed25519 public key. */
    public static final String PUBLIC_KEY_PREFIX = "whpk_";
    /** Bytes of a new HMAC secret: 32 (256 bits; the spec allows 24 to 64). */
    public static final int SECRET_BYTES = 32;
    /** The spec's bounds on a symmetric secret. */
    static final int SECRET_BYTES_MIN = 24;
    static final int SECRET_BYTES_MAX = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] hmacSecret;
    private final byte[] ed25519Private;

    /**
     * @param hmacSecret     24 to 64 bytes
     * @param ed25519Private the 32-byte RFC 8032 private key
     */
    public WebhookSigningKey(byte[] hmacSecret, byte[] ed25519Private) {
        Objects.requireNonNull(hmacSecret, "hmacSecret");
        Objects.requireNonNull(ed25519Private, "ed25519Private");
        if (hmacSecret.length < SECRET_BYTES_MIN || hmacSecret.length > SECRET_BYTES_MAX) {
            throw new IllegalArgumentException("a webhook secret has 24 to 64 bytes");
        }
        if (ed25519Private.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes");
        }
        this.hmacSecret = hmacSecret.clone();
        this.ed25519Private = ed25519Private.clone();
    }

    /** New random material. */
    public static WebhookSigningKey generate() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new WebhookSigningKey(secret, new Ed25519PrivateKeyParameters(RANDOM).getEncoded());
    }

    /** Parses a {@code whsec_…} secret (prefix optional, as the reference libraries accept it). */
    public static byte[] parseSecret(String serialized) {
        String base64 = serialized.startsWith(SECRET_PREFIX) ? serialized.substring(SECRET_PREFIX.length()) : serialized;
        return Base64.getDecoder().decode(base64);
    }

    public byte[] hmacSecret() {
        return hmacSecret.clone();
    }

    public byte[] ed25519Private() {
        return ed25519Private.clone();
    }

    /** The 32-byte raw Ed25519 public key. */
    public byte[] publicKey() {
        return new Ed25519PrivateKeyParameters(ed25519Private).generatePublicKey().getEncoded();
    }

    /** {@code whsec_} + standard base64 of the secret: what the merchant configures in its receiver. */
    public String serializedSecret() {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(hmacSecret);
    }

    /** {@code whpk_} + standard base64 of the raw public key. */
    public String serializedPublicKey() {
        return PUBLIC_KEY_PREFIX + Base64.getEncoder().encodeToString(publicKey());
    }

    public void destroy() {
        Arrays.fill(hmacSecret, (byte) 0);
        Arrays.fill(ed25519Private, (byte) 0);
    }

    @Override
    public String toString() {
        return "WebhookSigningKey[redacted]";
    }
}
