package dev.capsule.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key (RFC 8032) with its {@link KeyId}.
 *
 * <p>Security guarantees: a {@code VerifyingKey} always holds a canonically encoded point of
 * prime order (checked on construction), so small-order keys for which any signature could verify
 * are impossible. {@link #verify} implements RFC 8032 verification (Bouncy Castle), rejecting
 * non-canonical {@code S} (signature malleability); it is checked against the Wycheproof vectors.
 */
public final class VerifyingKey {
    public static final int LENGTH_BYTES = 32;
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE{SEQUENCE{OID 1.3.101.112}, BIT STRING}. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    static final String PEM_LABEL = "PUBLIC KEY";

    private final byte[] raw;
    private final KeyId keyId;

    private VerifyingKey(byte[] raw) throws KeyFormatException {
        if (raw.length != LENGTH_BYTES) {
            throw new KeyFormatException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        if (!Ed25519.validatePublicKeyFull(raw, 0)) {
            throw new KeyFormatException("not a valid Ed25519 public key (bad or small-order point)");
        }
        this.raw = raw.clone();
        this.keyId = new KeyId(Sha256.of(spki()).hex());
    }

    /** From the 32-byte RFC 8032 encoding. */
    public static VerifyingKey fromRaw(byte[] raw) throws KeyFormatException {
        return new VerifyingKey(raw);
    }

    /** From a PEM "PUBLIC KEY" block holding an Ed25519 SubjectPublicKeyInfo (as OpenSSL writes it). */
    public static VerifyingKey fromPem(String pem) throws KeyFormatException {
        return fromSpki(Pem.decode(pem, PEM_LABEL));
    }

    /** From a DER Ed25519 SubjectPublicKeyInfo (the bytes of a PEM "PUBLIC KEY" block). */
    public static VerifyingKey fromSpki(byte[] der) throws KeyFormatException {
        if (der.length != SPKI_PREFIX.length + LENGTH_BYTES
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new KeyFormatException("not an Ed25519 public key (only Ed25519 SubjectPublicKeyInfo is accepted)");
        }
        return new VerifyingKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
    }

    public KeyId keyId() {
        return keyId;
    }

    public byte[] raw() {
        return raw.clone();
    }

    /** DER SubjectPublicKeyInfo. */
    public byte[] spki() {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + LENGTH_BYTES);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, LENGTH_BYTES);
        return der;
    }

    public String toPem() {
        return Pem.encode(PEM_LABEL, spki());
    }

    /** True only if {@code signature} is a valid RFC 8032 Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        return Ed25519.verify(signature, 0, raw, 0, message, 0, message.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && MessageDigest.isEqual(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519 public key " + keyId;
    }
}
