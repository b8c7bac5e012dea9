package dev.capsule.core.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (RFC 8032 32-byte seed) and its public half.
 *
 * <p>Security guarantees: the seed is readable only through {@link #toPem(SecretAccess)};
 * {@link #toString()} never shows it. Signing is deterministic (RFC 8032), so it needs no
 * randomness at signing time. Keys are generated from the JDK's strong {@link SecureRandom}.
 */
public final class SigningKey {
    private static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;
    /** DER prefix of a PKCS#8 v1 Ed25519 private key (RFC 8410 §7), as OpenSSL and Capsule write it. */
    private static final byte[] PKCS8_V1_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    /** DER prefix of PKCS#8 v2 (OneAsymmetricKey) with the public key attached ([1] IMPLICIT BIT STRING). */
    private static final byte[] PKCS8_V2_PREFIX = HexFormat.of().parseHex("3051020101300506032b657004220420");
    private static final byte[] PKCS8_V2_PUBLIC_TAG = HexFormat.of().parseHex("812100");
    static final String PEM_LABEL = "PRIVATE KEY";

    private final byte[] seed;
    private final VerifyingKey publicKey;

    private SigningKey(byte[] seed) {
        this.seed = seed.clone();
        byte[] pub = new byte[VerifyingKey.LENGTH_BYTES];
        Ed25519.generatePublicKey(this.seed, 0, pub, 0);
        try {
            this.publicKey = VerifyingKey.fromRaw(pub);
        } catch (KeyFormatException e) {
            // A public key derived from any 32-byte seed is a valid prime-order point.
            throw new AssertionError("derived Ed25519 public key failed validation", e);
        }
    }

    /** A new random key. */
    public static SigningKey generate() {
        byte[] seed = new byte[SEED_BYTES];
        Ed25519.generatePrivateKey(new SecureRandom(), seed);
        try {
            return new SigningKey(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * From a raw RFC 8032 32-byte private key (seed), as keys are exchanged where PKCS#8 is not used (RFC 9421's
     * JWK {@code d}, a merchant's stored key). The caller's array is not kept.
     */
    public static SigningKey fromSeed(byte[] seed) throws KeyFormatException {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new KeyFormatException("an Ed25519 private key has " + SEED_BYTES + " bytes");
        }
        return new SigningKey(seed);
    }

    /** From a PEM "PRIVATE KEY" block holding an Ed25519 PKCS#8 key (v1 as OpenSSL writes it, or v2). */
    public static SigningKey fromPem(String pem) throws KeyFormatException {
        byte[] der = Pem.decode(pem, PEM_LABEL);
        try {
            int seedEnd = PKCS8_V1_PREFIX.length + SEED_BYTES;
            if (der.length == seedEnd && startsWith(der, PKCS8_V1_PREFIX)) {
                return new SigningKey(Arrays.copyOfRange(der, PKCS8_V1_PREFIX.length, seedEnd));
            }
            if (der.length == seedEnd + PKCS8_V2_PUBLIC_TAG.length + VerifyingKey.LENGTH_BYTES
                    && startsWith(der, PKCS8_V2_PREFIX)
                    && Arrays.equals(der, seedEnd, seedEnd + PKCS8_V2_PUBLIC_TAG.length, PKCS8_V2_PUBLIC_TAG, 0, PKCS8_V2_PUBLIC_TAG.length)) {
                SigningKey key = new SigningKey(Arrays.copyOfRange(der, PKCS8_V2_PREFIX.length, seedEnd));
                byte[] embedded = Arrays.copyOfRange(der, seedEnd + PKCS8_V2_PUBLIC_TAG.length, der.length);
                if (!key.publicKey.equals(VerifyingKey.fromRaw(embedded))) {
                    throw new KeyFormatException("the public key inside the PKCS#8 file does not match its private key");
                }
                return key;
            }
            throw new KeyFormatException("not an Ed25519 private key (only Ed25519 PKCS#8 is accepted)");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    public VerifyingKey publicKey() {
        return publicKey;
    }

    public KeyId keyId() {
        return publicKey.keyId();
    }

    /** RFC 8032 Ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** PKCS#8 v1 PEM of the private key: secret material, hence the access token. */
    public String toPem(SecretAccess access) {
        if (access == null) {
            throw new NullPointerException("reading a private key requires SecretAccess");
        }
        byte[] der = Arrays.copyOf(PKCS8_V1_PREFIX, PKCS8_V1_PREFIX.length + SEED_BYTES);
        System.arraycopy(seed, 0, der, PKCS8_V1_PREFIX.length, SEED_BYTES);
        try {
            return Pem.encode(PEM_LABEL, der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "Ed25519 private key for " + publicKey.keyId() + " (secret redacted)";
    }
}
