package dev.capsule.server.audit.internal;

import dev.capsule.core.merkle.NodeId;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The log's tables: entries, perfect-subtree hashes and checkpoints (V40). Reads are plain queries on
 * committed, append-only rows; writes happen only in the sequencer's and publisher's transactions.
 */
@Component
class LogStore {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    LogStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** The number of entries in the log (entries are numbered from 0 with no gaps). */
    long size() {
        return jdbc.sql("SELECT coalesce(max(idx) + 1, 0) FROM audit_entries").query(Long.class).single();
    }

    /** The stored hashes of {@code ids}, fetched in one query; absent ids are absent from the map. */
    Map<NodeId, byte[]> nodes(List<NodeId> ids) {
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
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT n.level, n.idx, n.hash FROM audit_nodes n
                    JOIN unnest(?::int[], ?::bigint[]) AS wanted(level, idx) ON n.level = wanted.level AND n.idx = wanted.idx""")) {
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
    Optional<Long> indexOfLeaf(byte[] leafHash) {
        return jdbc.sql("SELECT idx FROM audit_nodes WHERE level = 0 AND hash = ? ORDER BY idx LIMIT 1").param(leafHash)
                .query(Long.class).optional();
    }

    /**
     * An entry as stored: its bytes, its leaf hash (null if that row is missing) and the stored hashes of the
     * subtrees of level 1 and up whose last leaf it is, lowest level first (what a proof through them uses).
     */
    record StoredEntry(long index, byte[] entry, byte[] leafHash, List<byte[]> innerHashes) {
    }

    /** Entries {@code [start, end)} with their stored leaf and inner hashes, in index order. */
    List<StoredEntry> entries(long start, long end) {
        Map<Long, List<byte[]>> inner = innerHashes(start, end);
        return jdbc.sql("""
                SELECT e.idx, e.entry, n.hash FROM audit_entries e
                LEFT JOIN audit_nodes n ON n.level = 0 AND n.idx = e.idx
                WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx""")
                .params(start, end)
                .query((row, i) -> new StoredEntry(row.getLong(1), row.getBytes(2), row.getBytes(3),
                        inner.getOrDefault(row.getLong(1), List.of())))
                .list();
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
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT n.level, n.idx, n.hash FROM unnest(?::smallint[], ?::bigint[], ?::bigint[]) AS r(level, low, high)
                    JOIN audit_nodes n ON n.level = r.level AND n.idx BETWEEN r.low AND r.high
                    ORDER BY n.level""")) {
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

    /** Appends entries (consecutive from {@code first}) and the subtree hashes they complete, in one round trip each. */
    void append(long first, List<byte[]> entries, List<Map.Entry<NodeId, byte[]>> nodes) {
        Long[] indexes = new Long[entries.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = first + i;
        }
        Integer[] levels = new Integer[nodes.size()];
        Long[] nodeIndexes = new Long[nodes.size()];
        byte[][] hashes = new byte[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            levels[i] = nodes.get(i).getKey().level();
            nodeIndexes[i] = nodes.get(i).getKey().index();
            hashes[i] = nodes.get(i).getValue();
        }
        template.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO audit_entries (idx, entry) SELECT * FROM unnest(?::bigint[], ?::bytea[])")) {
                Array idx = connection.createArrayOf("int8", indexes);
                statement.setArray(1, idx);
                statement.setObject(2, entries.toArray(new byte[0][]));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO audit_nodes (level, idx, hash) SELECT * FROM unnest(?::smallint[], ?::bigint[], ?::bytea[])")) {
                statement.setArray(1, connection.createArrayOf("int2", levels));
                statement.setArray(2, connection.createArrayOf("int8", nodeIndexes));
                statement.setObject(3, hashes);
                statement.executeUpdate();
            }
            return null;
        });
    }

    record StoredCheckpoint(long size, byte[] rootHash, String note) {
    }

    Optional<StoredCheckpoint> latestCheckpoint() {
        return jdbc.sql("SELECT size, root_hash, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1")
                .query((row, i) -> new StoredCheckpoint(row.getLong(1), row.getBytes(2), row.getString(3)))
                .optional();
    }

    List<StoredCheckpoint> checkpoints(long fromSize, int limit) {
        return jdbc.sql("SELECT size, root_hash, note FROM audit_checkpoints WHERE size >= ? ORDER BY size LIMIT ?")
                .params(fromSize, limit)
                .query((row, i) -> new StoredCheckpoint(row.getLong(1), row.getBytes(2), row.getString(3)))
                .list();
    }

    /** Stores a checkpoint unless one of its size exists; true when this call stored it. */
    boolean insertCheckpoint(StoredCheckpoint checkpoint) {
        return jdbc.sql("INSERT INTO audit_checkpoints (size, root_hash, note) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING")
                .params(checkpoint.size(), checkpoint.rootHash(), checkpoint.note())
                .update() == 1;
    }
}
