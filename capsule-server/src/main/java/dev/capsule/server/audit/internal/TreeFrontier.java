package dev.capsule.server.audit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The right edge of the tree while a batch is appended: the perfect subtrees whose hashes make the
 * current root (largest first), loaded from the stored hashes in one query. Appending a leaf pushes it
 * and merges equal-sized neighbours, reporting every perfect subtree completed so it can be stored.
 * Memory is O(log size).
 */
final class TreeFrontier {
    private final List<Map.Entry<NodeId, byte[]>> stack;

    private TreeFrontier(List<Map.Entry<NodeId, byte[]>> stack) {
        this.stack = stack;
    }

    /** The frontier of the stored tree of {@code size} leaves; throws if a stored hash it needs is missing. */
    static TreeFrontier of(long size, LogStore store) {
        List<NodeId> ids = MerkleHash.rootNodes(size);
        Map<NodeId, byte[]> hashes = store.nodes(ids);
        List<Map.Entry<NodeId, byte[]>> stack = new ArrayList<>(64);
        for (NodeId id : ids) {
            byte[] hash = hashes.get(id);
            if (hash == null) {
                throw new IllegalStateException("the audit log's stored subtree hash " + id + " is missing; the log cannot grow");
            }
            stack.add(Map.entry(id, hash));
        }
        return new TreeFrontier(stack);
    }

    /** Appends the next leaf; adds the leaf and every subtree it completes to {@code completed}. */
    void append(byte[] leafHash, List<Map.Entry<NodeId, byte[]>> completed) {
        long index = stack.isEmpty() ? 0 : nextLeaf();
        Map.Entry<NodeId, byte[]> node = Map.entry(new NodeId(0, index), leafHash);
        completed.add(node);
        while (!stack.isEmpty() && stack.getLast().getKey().level() == node.getKey().level()) {
            Map.Entry<NodeId, byte[]> left = stack.removeLast();
            NodeId parent = new NodeId(node.getKey().level() + 1, node.getKey().index() >>> 1);
            node = Map.entry(parent, MerkleHash.nodeHash(left.getValue(), node.getValue()));
            completed.add(node);
        }
        stack.add(node);
    }

    private long nextLeaf() {
        NodeId last = stack.getLast().getKey();
        return (last.index() + 1) << last.level();
    }
}
