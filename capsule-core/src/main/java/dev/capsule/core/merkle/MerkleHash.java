package dev.capsule.core.merkle;

import dev.capsule.core.crypto.Sha256;
import java.security.MessageDigest;

/**
 * The RFC 9162 section 2.1.1 hash functions over SHA-256: {@code leaf = SHA-256(0x00 || entry)},
 * {@code node = SHA-256(0x01 || left || right)}, and the empty tree's root {@code SHA-256("")}.
 *
 * <p>Security guarantees: the distinct one-byte prefixes for leaves and inner nodes keep a leaf
 * from ever being presented as an inner node (second-preimage attack on Merkle trees). Every
 * method returns a fresh 32-byte array.
 */
public final class MerkleHash {
    public static final int SIZE_BYTES = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {}

    /** Hash of a leaf holding {@code entry} (the entry's exact bytes). */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(LEAF_PREFIX);
        digest.update(entry);
        return digest.digest();
    }

    /** Hash of an inner node from its two children's hashes (each exactly 32 bytes). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        requireHash(left, "left child hash");
        requireHash(right, "right child hash");
        MessageDigest digest = Sha256.newDigest();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** Root of the tree with no leaves: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return Sha256.newDigest().digest();
    }

    /** True when {@code hash} has the size of a hash in this tree. */
    public static boolean isHash(byte[] hash) {
        return hash != null && hash.length == SIZE_BYTES;
    }

    /** Constant-time equality of two hashes (false when either is not a 32-byte hash). */
    public static boolean equal(byte[] a, byte[] b) {
        return isHash(a) && isHash(b) && MessageDigest.isEqual(a, b);
    }

    /**
     * A copy of {@code hash}, after checking it is a 32-byte hash.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static byte[] requireHashCopy(byte[] hash, String what) {
        return requireHash(hash, what).clone();
    }

    static byte[] requireHash(byte[] hash, String what) {
        if (!isHash(hash)) {
            throw new IllegalArgumentException(what + " must be " + SIZE_BYTES + " bytes, not "
                    + (hash == null ? "null" : hash.length));
        }
        return hash;
    }
}
