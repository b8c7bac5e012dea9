package dev.capsule.core.log;

import dev.capsule.core.merkle.MerkleHash;
import java.util.Arrays;

/**
 * One entry of the audit log as a source delivers it: its index, its exact bytes (opaque to verification) and
 * the leaf hash the source claims for it, which a verifier recomputes and compares.
 */
public record LogEntry(long index, byte[] entry, byte[] leafHash) {
    public LogEntry {
        if (index < 0) {
            throw new IllegalArgumentException("entry index must be >= 0");
        }
        if (entry == null) {
            throw new IllegalArgumentException("entry bytes missing");
        }
        entry = entry.clone();
        leafHash = MerkleHash.requireHashCopy(leafHash, "leaf hash");
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

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry other && index == other.index && Arrays.equals(entry, other.entry)
                && Arrays.equals(leafHash, other.leafHash);
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
