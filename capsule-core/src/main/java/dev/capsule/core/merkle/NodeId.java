package dev.capsule.core.merkle;

/**
 * A perfect subtree of an RFC 9162 Merkle tree: the {@code 2^level} leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}. Level 0 is a single leaf. Indexes are 0-based.
 *
 * <p>This is the unit a log store keeps hashes for: every root and proof is assembled from hashes
 * of perfect subtrees (see {@link MerkleProofs}), so nothing needs recomputing from the leaves.
 */
public record NodeId(int level, long index) {
    /** Level 62 already spans 2^62 leaves, far beyond any tree a {@code long} size can describe usefully. */
    public static final int LEVEL_MAX = 62;

    public NodeId {
        if (level < 0 || level > LEVEL_MAX) {
            throw new IllegalArgumentException("node level must be 0.." + LEVEL_MAX + ", not " + level);
        }
        if (index < 0) {
            throw new IllegalArgumentException("node index must be >= 0, not " + index);
        }
        if (index > (Long.MAX_VALUE >> level)) {
            throw new IllegalArgumentException("node (" + level + ", " + index + ") lies beyond the largest tree size");
        }
    }

    /** A single leaf. */
    public static NodeId leaf(long index) {
        return new NodeId(0, index);
    }

    /** The first leaf this subtree covers. */
    public long firstLeaf() {
        return index << level;
    }

    /** The leaf just past this subtree: {@code firstLeaf() + 2^level}. */
    public long endLeaf() {
        return (index + 1) << level;
    }

    public NodeId parent() {
        return new NodeId(level + 1, index >> 1);
    }

    public NodeId leftChild() {
        requireInner();
        return new NodeId(level - 1, index << 1);
    }

    public NodeId rightChild() {
        requireInner();
        return new NodeId(level - 1, (index << 1) | 1);
    }

    private void requireInner() {
        if (level == 0) {
            throw new IllegalStateException("a leaf has no children");
        }
    }

    @Override
    public String toString() {
        return "node(level " + level + ", index " + index + ")";
    }
}
