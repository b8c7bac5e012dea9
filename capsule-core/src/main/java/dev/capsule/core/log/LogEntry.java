package dev.capsule.core.log;

import dev.capsule.core.merkle.MerkleHash;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the audit log as a source delivers it: its index, its exact bytes (opaque to verification),
 * the leaf hash the source claims for it and, from a server, the inner hashes it stores for the subtrees this
 * entry completes; a verifier recomputes all of them and compares.
 *
 * @param innerHashes null when the source does not give them (an export file); otherwise the stored hashes of
 *                    the perfect subtrees of level 1 and up whose last leaf is this entry, lowest level first
 *                    (none for an even index), which the server's proofs are assembled from
 */
public record LogEntry(long index, byte[] entry, byte[] leafHash, List<byte[]> innerHashes) {
    /** A perfect subtree of level 63 would hold more entries than a log may have. */
    public static final int INNER_HASHES_MAX = 62;

    public LogEntry {
        if (index < 0) {
            throw new IllegalArgumentException("entry index must be >= 0");
        }
        if (entry == null) {
            throw new IllegalArgumentException("entry bytes missing");
        }
        entry = entry.clone();
        leafHash = MerkleHash.requireHashCopy(leafHash, "leaf hash");
        if (innerHashes != null) {
            if (innerHashes.size() > INNER_HASHES_MAX) {
                throw new IllegalArgumentException("an entry completes at most " + INNER_HASHES_MAX + " subtrees");
            }
            innerHashes = innerHashes.stream().map(hash -> MerkleHash.requireHashCopy(hash, "inner hash")).toList();
        }
    }

    /** An entry whose source gives no inner hashes. */
    public LogEntry(long index, byte[] entry, byte[] leafHash) {
        this(index, entry, leafHash, null);
    }

    /** An entry with its correct leaf hash. */
    public static LogEntry of(long index, byte[] entry) {
        return new LogEntry(index, entry, MerkleHash.leafHash(entry));
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /** The stored inner hashes (copies), or null when the source does not give them. */
    @Override
    public List<byte[]> innerHashes() {
        return innerHashes == null ? null : innerHashes.stream().map(byte[]::clone).toList();
    }

    /** The stored inner hashes (copies), if the source gives them. */
    public Optional<List<byte[]>> storedInnerHashes() {
        return Optional.ofNullable(innerHashes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry other && index == other.index && Arrays.equals(entry, other.entry)
                && Arrays.equals(leafHash, other.leafHash) && sameHashes(innerHashes, other.innerHashes);
    }

    private static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Arrays.deepEquals(a.toArray(), b.toArray());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(entry);
    }

    @Override
    public String toString() {
        return "entry " + index + " (" + entry.length + " bytes)";
    }
}
