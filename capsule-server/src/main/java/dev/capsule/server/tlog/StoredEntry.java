package dev.capsule.server.tlog;

import java.util.List;

/**
 * An entry of a Merkle log as stored: its bytes, its leaf hash (null if that row is missing) and the stored hashes
 * of the subtrees of level 1 and up whose last leaf it is, lowest level first (what a proof through them uses).
 */
public record StoredEntry(long index, byte[] entry, byte[] leafHash, List<byte[]> innerHashes) {
    public StoredEntry {
        innerHashes = List.copyOf(innerHashes);
    }
}
