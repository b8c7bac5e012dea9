package dev.capsule.core.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Roots, inclusion proofs and consistency proofs of RFC 9162 Merkle trees (section 2.1): generation
 * from stored perfect-subtree hashes, and verification.
 *
 * <p>Generation is split in two so a store can answer with one query: {@link #inclusionNodes} and
 * {@link #consistencyNodes} (and {@link #rootNodes}) name the perfect subtrees ({@link NodeId}) whose
 * hashes are needed; {@link #inclusionProof}, {@link #consistencyProof} and {@link #root} assemble the
 * result from those hashes. Proof entries that cover a subtree which is not perfect in the tree at that
 * size (the right edge) are recomputed from several stored perfect subtrees; the result is exactly the
 * RFC 9162 section 2.1.3.1 / 2.1.4.1 proof.
 *
 * <p>Security guarantees: verification implements the RFC 9162 section 2.1.3.2 / 2.1.4.2 algorithms
 * exactly and returns {@code false} for every invalid input instead of throwing: out-of-range indexes and
 * sizes, hashes that are not 32 bytes, too long or too short proofs, and wrong hashes. Following the
 * reference verifier (transparency-dev/merkle), a consistency proof from the empty tree ({@code size1 = 0})
 * proves nothing and is rejected, and equal sizes need an empty proof and equal roots. Hash comparisons
 * are constant-time. Checked against every case of the transparency-dev/merkle test vectors.
 */
public final class MerkleProofs {
    /** No proof in a tree whose size fits a {@code long} has more hashes than this. */
    public static final int PROOF_HASHES_MAX = 64;

    private MerkleProofs() {}

    /** The perfect subtrees, left to right, whose hashes make the root of a tree of {@code size} leaves (none for 0). */
    public static List<NodeId> rootNodes(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size must be >= 0, not " + size);
        }
        return rangeNodes(0, size);
    }

    /** The perfect subtrees whose hashes {@link #inclusionProof} needs for leaf {@code index} in a tree of {@code size}. */
    public static List<NodeId> inclusionNodes(long index, long size) {
        return flatten(inclusionPlan(index, size));
    }

    /** The perfect subtrees whose hashes {@link #consistencyProof} needs between sizes {@code size1 <= size2}. */
    public static List<NodeId> consistencyNodes(long size1, long size2) {
        return flatten(consistencyPlan(size1, size2));
    }

    /**
     * Root of the tree of {@code size} leaves from the hashes of (at least) its {@link #rootNodes}.
     *
     * @throws IllegalArgumentException naming the first needed node missing from {@code hashes}
     */
    public static byte[] root(long size, Map<NodeId, byte[]> hashes) {
        List<NodeId> nodes = rootNodes(size);
        return nodes.isEmpty() ? MerkleHash.emptyRoot() : fold(nodes, hashes);
    }

    /**
     * The RFC 9162 inclusion proof (audit path, lowest level first) of leaf {@code index} in the tree of
     * {@code size} leaves, from the hashes of (at least) its {@link #inclusionNodes}.
     *
     * @throws IllegalArgumentException if {@code index} is not in {@code [0, size)}, or naming a missing node
     */
    public static List<byte[]> inclusionProof(long index, long size, Map<NodeId, byte[]> hashes) {
        return assemble(inclusionPlan(index, size), hashes);
    }

    /**
     * The RFC 9162 consistency proof between the trees of {@code size1} and {@code size2} leaves
     * ({@code 0 < size1 <= size2}; empty when they are equal), from the hashes of (at least) its
     * {@link #consistencyNodes}.
     *
     * @throws IllegalArgumentException if the sizes are out of range, or naming a missing node
     */
    public static List<byte[]> consistencyProof(long size1, long size2, Map<NodeId, byte[]> hashes) {
        return assemble(consistencyPlan(size1, size2), hashes);
    }

    /**
     * RFC 9162 section 2.1.3.2: true only if {@code proof} shows that {@code leafHash} is leaf {@code index}
     * of the tree of {@code size} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || size <= 0 || index >= size || proof == null || proof.size() > PROOF_HASHES_MAX
                || !MerkleHash.isHash(leafHash) || !MerkleHash.isHash(root) || !allHashes(proof)) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHash.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.equal(r, root);
    }

    /**
     * RFC 9162 section 2.1.4.2: true only if {@code proof} shows that the tree of {@code size1} leaves with
     * root {@code root1} is a prefix of the tree of {@code size2} leaves with root {@code root2}.
     */
    public static boolean verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
        if (size1 <= 0 || size2 < size1 || proof == null || root1 == null || root2 == null) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (proof.isEmpty() || proof.size() > PROOF_HASHES_MAX || !allHashes(proof)
                || !MerkleHash.isHash(root1) || !MerkleHash.isHash(root2)) {
            return false;
        }
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            // The old root is itself a node of the new tree: the proof leaves it out.
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.getFirst();
        byte[] sr = path.getFirst();
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.nodeHash(c, fr);
                sr = MerkleHash.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.equal(fr, root1) && MerkleHash.equal(sr, root2);
    }

    // --- generation -------------------------------------------------------------------------------------
    // A plan is the proof as a list of steps; each step is one proof hash, made from the perfect subtrees it
    // lists (left to right; one node when the subtree is perfect, several for a subtree on the right edge).

    /** RFC 9162 2.1.3.1 PATH(m, D[n]), unrolled: walk down from the root, the sibling at each split is a step. */
    private static List<List<NodeId>> inclusionPlan(long index, long size) {
        if (size <= 0 || index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not in a tree of size " + size);
        }
        List<List<NodeId>> topDown = new ArrayList<>();
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = Long.highestOneBit(hi - lo - 1);
            if (index < lo + k) {
                topDown.add(rangeNodes(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(rangeNodes(lo, lo + k));
                lo += k;
            }
        }
        return Collections.unmodifiableList(topDown.reversed());
    }

    /** RFC 9162 2.1.4.1 SUBPROOF(m, D[n], true), unrolled the same way. */
    private static List<List<NodeId>> consistencyPlan(long size1, long size2) {
        if (size1 <= 0 || size2 < size1) {
            throw new IllegalArgumentException("no consistency proof from size " + size1 + " to size " + size2
                    + " (need 0 < from <= to)");
        }
        List<List<NodeId>> topDown = new ArrayList<>();
        long lo = 0;
        long hi = size2;
        boolean oldRootIsNode = true;
        while (size1 != hi) {
            long k = Long.highestOneBit(hi - lo - 1);
            if (size1 - lo <= k) {
                topDown.add(rangeNodes(lo + k, hi));
                hi = lo + k;
            } else {
                topDown.add(rangeNodes(lo, lo + k));
                lo += k;
                oldRootIsNode = false;
            }
        }
        List<List<NodeId>> plan = new ArrayList<>(topDown.size() + 1);
        if (!oldRootIsNode) {
            plan.add(rangeNodes(lo, hi));
        }
        plan.addAll(topDown.reversed());
        return Collections.unmodifiableList(plan);
    }

    /**
     * The perfect subtrees covering leaves {@code [begin, end)}, left to right, each as large as alignment allows.
     * For the ranges used here (begin aligned to a power of two larger than the range) they shrink left to
     * right, so folding them from the right gives the RFC 9162 hash of the range.
     */
    private static List<NodeId> rangeNodes(long begin, long end) {
        List<NodeId> nodes = new ArrayList<>();
        long pos = begin;
        while (pos < end) {
            int level = 63 - Long.numberOfLeadingZeros(end - pos);
            if (pos != 0) {
                level = Math.min(level, Long.numberOfTrailingZeros(pos));
            }
            nodes.add(new NodeId(level, pos >> level));
            pos += 1L << level;
        }
        return Collections.unmodifiableList(nodes);
    }

    private static List<NodeId> flatten(List<List<NodeId>> plan) {
        List<NodeId> nodes = new ArrayList<>();
        plan.forEach(nodes::addAll);
        return Collections.unmodifiableList(nodes);
    }

    private static List<byte[]> assemble(List<List<NodeId>> plan, Map<NodeId, byte[]> hashes) {
        List<byte[]> proof = new ArrayList<>(plan.size());
        for (List<NodeId> step : plan) {
            proof.add(fold(step, hashes));
        }
        return Collections.unmodifiableList(proof);
    }

    /** Hash of adjacent perfect subtrees (shrinking left to right): fold from the right. */
    private static byte[] fold(List<NodeId> nodes, Map<NodeId, byte[]> hashes) {
        byte[] hash = lookup(nodes.getLast(), hashes);
        for (int i = nodes.size() - 2; i >= 0; i--) {
            hash = MerkleHash.nodeHash(lookup(nodes.get(i), hashes), hash);
        }
        return hash;
    }

    private static byte[] lookup(NodeId id, Map<NodeId, byte[]> hashes) {
        byte[] hash = hashes.get(id);
        if (hash == null) {
            throw new IllegalArgumentException("missing hash of " + id);
        }
        if (!MerkleHash.isHash(hash)) {
            throw new IllegalArgumentException("hash of " + id + " has " + hash.length + " bytes, not " + MerkleHash.SIZE_BYTES);
        }
        return hash.clone();
    }

    private static boolean allHashes(List<byte[]> proof) {
        for (byte[] p : proof) {
            if (!MerkleHash.isHash(p)) {
                return false;
            }
        }
        return true;
    }
}
