package dev.capsule.server.tlog;

import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one storage of RFC 9162 Merkle logs on PostgreSQL, used by the audit log and the release log: entries
 * numbered from 0 without gaps, and the hash of every perfect subtree ({@code (level L, idx k)} = the hash of
 * leaves {@code [k*2^L, (k+1)*2^L)}), written when the append that completes it commits. A root, an inclusion
 * proof or a consistency proof is then assembled from the named subtrees one query fetches, never recomputed
 * from the leaves. Checkpoints are each log's own (their tables and rules differ).
 *
 * <p>Appending is the caller's serialization to provide: it must hold its log's lock (a PostgreSQL advisory
 * transaction lock) in the transaction that calls {@link #size()} and {@link #append}.
 *
 * <p>Security guarantees: an append resumes the tree from the stored right edge and stores exactly the
 * subtree hashes its entries complete, in the caller's transaction (all or nothing); a missing or malformed
 * stored hash stops the log from growing instead of being recomputed around; the tables refuse update,
 * delete and truncate (their migrations' triggers); reads return only committed rows.
 */
public final class MerkleLogStore {
    private final LogTables tables;
    private final JdbcTemplate template;

    public MerkleLogStore(LogTables tables, JdbcTemplate template) {
        this.tables = tables;
        this.template = template;
    }

    /** The number of entries in the log. */
    public long size() {
        Long size = template.queryForObject("SELECT coalesce(max(idx) + 1, 0) FROM " + tables.entries(), Long.class);
        return size == null ? 0 : size;
    }

    /** The stored hashes of {@code ids}, fetched in one query; absent ids are absent from the map. */
    public Map<NodeId, byte[]> nodes(List<NodeId> ids) {
        Map<NodeId, byte[]> hashes = new HashMap<>();
        if (ids.isEmpty()) {
            return hashes;
        }
        Integer[] levels = new Integer[ids.size()];
        Long[] indexes = new Long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            levels[i] = ids.get(i).level();
            indexes[i] = ids.get(i).index();
        }
        template.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT n.level, n.idx, n.hash FROM " + tables.nodes() + " n"
                    + " JOIN unnest(?::int[], ?::bigint[]) AS wanted(level, idx) ON n.level = wanted.level AND n.idx = wanted.idx")) {
                statement.setArray(1, connection.createArrayOf("int4", levels));
                statement.setArray(2, connection.createArrayOf("int8", indexes));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        hashes.put(new NodeId(rows.getInt(1), rows.getLong(2)), rows.getBytes(3));
                    }
                }
            }
            return null;
        });
        return hashes;
    }

    /** The index of the first leaf with this hash, if any. */
    public Optional<Long> indexOfLeaf(byte[] leafHash) {
        return template.query("SELECT idx FROM " + tables.nodes() + " WHERE level = 0 AND hash = ? ORDER BY idx LIMIT 1",
                (row, i) -> row.getLong(1), leafHash).stream().findFirst();
    }

    /** Entries {@code [start, end)} with their stored leaf and inner hashes, in index order. */
    public List<StoredEntry> entries(long start, long end) {
        Map<Long, List<byte[]>> inner = innerHashes(start, end);
        return template.query("SELECT e.idx, e.entry, n.hash FROM " + tables.entries() + " e"
                        + " LEFT JOIN " + tables.nodes() + " n ON n.level = 0 AND n.idx = e.idx"
                        + " WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx",
                (row, i) -> new StoredEntry(row.getLong(1), row.getBytes(2), row.getBytes(3), inner.getOrDefault(row.getLong(1), List.of())),
                start, end);
    }

    /**
     * The stored inner hashes completed by entries {@code [start, end)}, by the entry that completes them, in one
     * query: at level L, node k ends at entry (k + 1) * 2^L - 1, so the nodes of a level form one index range.
     */
    private Map<Long, List<byte[]>> innerHashes(long start, long end) {
        List<Integer> levels = new ArrayList<>();
        List<Long> lows = new ArrayList<>();
        List<Long> highs = new ArrayList<>();
        for (int level = 1; level <= NodeId.LEVEL_MAX && (1L << level) <= end; level++) {
            long low = Math.ceilDiv(start + 1, 1L << level) - 1;
            long high = (end >> level) - 1;
            if (low <= high) {
                levels.add(level);
                lows.add(low);
                highs.add(high);
            }
        }
        Map<Long, List<byte[]>> byEntry = new HashMap<>();
        if (levels.isEmpty()) {
            return byEntry;
        }
        template.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT n.level, n.idx, n.hash FROM unnest(?::smallint[], ?::bigint[], ?::bigint[]) AS r(level, low, high)"
                            + " JOIN " + tables.nodes() + " n ON n.level = r.level AND n.idx BETWEEN r.low AND r.high ORDER BY n.level")) {
                statement.setArray(1, connection.createArrayOf("int2", levels.toArray()));
                statement.setArray(2, connection.createArrayOf("int8", lows.toArray()));
                statement.setArray(3, connection.createArrayOf("int8", highs.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long entry = ((rows.getLong(2) + 1) << rows.getInt(1)) - 1;
                        byEntry.computeIfAbsent(entry, e -> new ArrayList<>()).add(rows.getBytes(3));
                    }
                }
            }
            return null;
        });
        return byEntry;
    }

    /**
     * Appends {@code entries} at indexes {@code first, first + 1, …} together with their leaf hashes and every
     * perfect subtree hash they complete, in one round trip per table. {@code first} must be the log's size as
     * read under the caller's lock in this transaction.
     *
     * @return the root hash of the log after the append
     */
    public byte[] append(long first, List<byte[]> entries) {
        CompactRange tree = resume(first);
        List<Map.Entry<NodeId, byte[]>> completed = new ArrayList<>(entries.size() * 2);
        for (byte[] entry : entries) {
            tree.append(MerkleHash.leafHash(entry), (id, hash) -> completed.add(Map.entry(id, hash)));
        }
        Long[] indexes = new Long[entries.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = first + i;
        }
        Integer[] levels = new Integer[completed.size()];
        Long[] nodeIndexes = new Long[completed.size()];
        byte[][] hashes = new byte[completed.size()][];
        for (int i = 0; i < completed.size(); i++) {
            levels[i] = completed.get(i).getKey().level();
            nodeIndexes[i] = completed.get(i).getKey().index();
            hashes[i] = completed.get(i).getValue();
        }
        template.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO " + tables.entries() + " (idx, entry) SELECT * FROM unnest(?::bigint[], ?::bytea[])")) {
                statement.setArray(1, connection.createArrayOf("int8", indexes));
                statement.setObject(2, entries.toArray(new byte[0][]));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO " + tables.nodes() + " (level, idx, hash) SELECT * FROM unnest(?::smallint[], ?::bigint[], ?::bytea[])")) {
                statement.setArray(1, connection.createArrayOf("int2", levels));
                statement.setArray(2, connection.createArrayOf("int8", nodeIndexes));
                statement.setObject(3, hashes);
                statement.executeUpdate();
            }
            return null;
        });
        return tree.root();
    }

    /** The root hash of the first {@code size} entries (1 <= size <= the log's size), from the stored subtrees. */
    public byte[] root(long size) {
        return MerkleProofs.root(size, nodes(MerkleProofs.rootNodes(size)));
    }

    /** The RFC 9162 inclusion proof of entry {@code index} in the tree of {@code size} entries (index < size <= the log's size). */
    public List<byte[]> inclusionProof(long index, long size) {
        return MerkleProofs.inclusionProof(index, size, nodes(MerkleProofs.inclusionNodes(index, size)));
    }

    /** The RFC 9162 consistency proof between the trees of {@code from} and {@code to} entries (1 <= from <= to <= the log's size). */
    public List<byte[]> consistencyProof(long from, long to) {
        return MerkleProofs.consistencyProof(from, to, nodes(MerkleProofs.consistencyNodes(from, to)));
    }

    /** The stored tree's right edge, from the hashes one query fetches. */
    private CompactRange resume(long size) {
        try {
            return CompactRange.resume(size, nodes(MerkleProofs.rootNodes(size)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the " + tables.prefix() + " log cannot grow: a stored subtree hash is missing or malformed ("
                    + e.getMessage() + ")", e);
        }
    }
}
