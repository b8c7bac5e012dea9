package dev.capsule.core.merkle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The growing right edge of an RFC 9162 Merkle tree: appends leaf hashes left to right and keeps only
 * the hashes of the perfect subtrees that make the current root ({@link MerkleProofs#rootNodes}), so
 * memory stays O(log size) however many leaves pass through. A verifier recomputes a whole log's roots
 * with it; a store uses the {@code completed} callback to persist every perfect subtree hash once.
 *
 * <p>Not thread-safe: one sequencer or verifier owns an instance.
 */
public final class CompactRange {
    private long size;
    /** Hashes of {@code MerkleProofs.rootNodes(size)}, left (largest) to right. */
    private final List<byte[]> edge = new ArrayList<>();

    /** The empty tree. */
    public CompactRange() {}

    /**
     * Continues a tree of {@code size} leaves from stored hashes of (at least) its {@link MerkleProofs#rootNodes}.
     *
     * @throws IllegalArgumentException naming the first needed node missing from {@code hashes}
     */
    public static CompactRange resume(long size, Map<NodeId, byte[]> hashes) {
        CompactRange range = new CompactRange();
        for (NodeId id : MerkleProofs.rootNodes(size)) {
            byte[] hash = hashes.get(id);
            if (hash == null) {
                throw new IllegalArgumentException("missing hash of " + id);
            }
            range.edge.add(MerkleHash.requireHash(hash, "hash of " + id).clone());
        }
        range.size = size;
        return range;
    }

    /** Appends the next leaf. */
    public void append(byte[] leafHash) {
        append(leafHash, (id, hash) -> {});
    }

    /**
     * Appends the next leaf and reports every perfect subtree it completes, lowest first: the leaf itself,
     * then each parent whose right child it completes.
     */
    public void append(byte[] leafHash, BiConsumer<NodeId, byte[]> completed) {
        MerkleHash.requireHash(leafHash, "leaf hash");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full");
        }
        NodeId id = NodeId.leaf(size);
        byte[] hash = leafHash.clone();
        completed.accept(id, hash.clone());
        // Each set low bit of the old size is a perfect subtree on the edge that the new node completes.
        for (long bits = size; (bits & 1) == 1; bits >>= 1) {
            hash = MerkleHash.nodeHash(edge.removeLast(), hash);
            id = id.parent();
            completed.accept(id, hash.clone());
        }
        edge.add(hash);
        size++;
    }

    public long size() {
        return size;
    }

    /** Root of the tree so far ({@link MerkleHash#emptyRoot()} when empty). */
    public byte[] root() {
        if (edge.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        byte[] hash = edge.getLast();
        for (int i = edge.size() - 2; i >= 0; i--) {
            hash = MerkleHash.nodeHash(edge.get(i), hash);
        }
        return hash.clone();
    }

    /** The perfect subtrees on the edge with their hashes (what {@link #resume} needs to continue). */
    public Map<NodeId, byte[]> edgeHashes() {
        List<NodeId> ids = MerkleProofs.rootNodes(size);
        Map<NodeId, byte[]> hashes = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            hashes.put(ids.get(i), edge.get(i).clone());
        }
        return hashes;
    }
}
