package dev.capsule.server.audit.internal;

import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.tlog.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Answers the audit API's reads from the stored tree: entries by range, and inclusion and consistency
 * proofs assembled from the stored perfect-subtree hashes one query fetches (no recomputation from the
 * leaves). Every size asked for must be at most the log's current size; every range is bounded.
 */
@Component
class AuditLogReader {
    /** Entries per request. */
    static final int ENTRIES_PER_PAGE_MAX = 1000;

    private final LogStore store;

    AuditLogReader(LogStore store) {
        this.store = store;
    }

    record Inclusion(long index, long size, byte[] leafHash, List<byte[]> proof) {
    }

    List<StoredEntry> entries(long start, long end) {
        if (start < 0 || end <= start) {
            throw new ProblemException(ProblemType.VALIDATION, "need 0 <= start < end");
        }
        if (end - start > ENTRIES_PER_PAGE_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "at most " + ENTRIES_PER_PAGE_MAX + " entries per request");
        }
        requireWithinLog(end, "end");
        return store.entries(start, end);
    }

    Inclusion inclusion(long index, long size) {
        if (index < 0 || size <= index) {
            throw new ProblemException(ProblemType.VALIDATION, "need 0 <= index < size");
        }
        requireWithinLog(size, "size");
        List<NodeId> needed = new ArrayList<>(MerkleProofs.inclusionNodes(index, size));
        needed.add(NodeId.leaf(index));
        Map<NodeId, byte[]> hashes = store.nodes(needed);
        return new Inclusion(index, size, stored(hashes, NodeId.leaf(index)), MerkleProofs.inclusionProof(index, size, hashes));
    }

    Inclusion inclusion(byte[] leafHash, long size) {
        if (size < 1) {
            throw new ProblemException(ProblemType.VALIDATION, "size must be at least 1");
        }
        requireWithinLog(size, "size");
        long index = store.tree().indexOfLeaf(leafHash).filter(found -> found < size)
                .orElseThrow(() -> new ProblemException(AuditProblems.LEAF_NOT_FOUND,
                        "no entry among the first " + size + " has that leaf hash"));
        return inclusion(index, size);
    }

    List<byte[]> consistency(long from, long to) {
        if (from < 1 || to < from) {
            throw new ProblemException(ProblemType.VALIDATION, "need 1 <= from <= to");
        }
        requireWithinLog(to, "to");
        return store.tree().consistencyProof(from, to);
    }

    private void requireWithinLog(long size, String name) {
        long logSize = store.size();
        if (size > logSize) {
            throw new ProblemException(AuditProblems.BEYOND_LOG, name + " " + size + " is beyond the log's " + logSize + " entries",
                    Map.of("logSize", logSize));
        }
    }

    private static byte[] stored(Map<NodeId, byte[]> hashes, NodeId id) {
        byte[] hash = hashes.get(id);
        if (hash == null) {
            throw new IllegalStateException("the audit log's stored hash " + id + " is missing");
        }
        return hash;
    }
}
