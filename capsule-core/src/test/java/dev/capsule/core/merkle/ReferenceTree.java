package dev.capsule.core.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/**
 * RFC 9162 section 2.1 written as the RFC states it (recursive MTH, PATH and SUBPROOF over the list of leaf
 * hashes), with none of the production code's unrolling: the yardstick the production generation is checked against.
 */
final class ReferenceTree {
    private final List<byte[]> leaves;

    ReferenceTree(List<byte[]> leafHashes) {
        this.leaves = List.copyOf(leafHashes);
    }

    static ReferenceTree ofEntries(List<byte[]> entries) {
        return new ReferenceTree(entries.stream().map(MerkleHash::leafHash).toList());
    }

    /** Leaf hashes of {@code size} distinct synthetic entries. */
    static ReferenceTree synthetic(int size) {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ofEntries(entries);
    }

    int size() {
        return leaves.size();
    }

    byte[] leaf(int index) {
        return leaves.get(index).clone();
    }

    byte[] root(int size) {
        return mth(0, size);
    }

    /** Every perfect subtree's hash of the full tree, as a store would keep them. */
    Map<NodeId, byte[]> allNodes() {
        Map<NodeId, byte[]> nodes = new HashMap<>();
        CompactRange range = new CompactRange();
        for (byte[] leaf : leaves) {
            range.append(leaf, nodes::put);
        }
        return nodes;
    }

    List<byte[]> path(int m, int size) {
        return path(m, 0, size);
    }

    List<byte[]> consistency(int m, int size) {
        return subproof(m, 0, size, true);
    }

    private byte[] mth(int lo, int hi) {
        int n = hi - lo;
        if (n == 0) {
            return MerkleHash.emptyRoot();
        }
        if (n == 1) {
            return leaves.get(lo);
        }
        int k = largestPowerOfTwoBelow(n);
        return MerkleHash.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
    }

    private List<byte[]> path(int m, int lo, int hi) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            out.addAll(path(m, lo, lo + k));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    private List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(lo, hi));
            }
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
