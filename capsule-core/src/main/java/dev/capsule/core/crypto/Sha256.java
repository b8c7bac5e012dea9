package dev.capsule.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest value: exactly 32 bytes, shown as lower-case hex. Immutable. */
public record Sha256(byte[] bytes) {
    public static final int LENGTH_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    public Sha256 {
        if (bytes == null || bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest has exactly 32 bytes");
        }
        bytes = bytes.clone();
    }

    /** Digest of {@code data}. */
    public static Sha256 of(byte[] data) {
        return new Sha256(newDigest().digest(data));
    }

    /** A fresh SHA-256 {@link MessageDigest}; every JDK has one, so absence is a broken JDK. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Parses 64 lower-case hex characters.
     *
     * @throws IllegalArgumentException if {@code hex} is not exactly that
     */
    public static Sha256 fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH_BYTES || !hex.chars().allMatch(Sha256::isLowerHex)) {
            throw new IllegalArgumentException("a SHA-256 digest is 64 lower-case hex characters");
        }
        return new Sha256(HEX.parseHex(hex));
    }

    private static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant-time comparison, so a digest check leaks nothing about where a mismatch lies. */
    public boolean matches(Sha256 other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256 other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "sha256:" + hex();
    }
}
