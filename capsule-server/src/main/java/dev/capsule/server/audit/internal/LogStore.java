package dev.capsule.server.audit.internal;

import dev.capsule.core.merkle.NodeId;
import dev.capsule.server.tlog.LogTables;
import dev.capsule.server.tlog.MerkleLogStore;
import dev.capsule.server.tlog.StoredEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log's tables (V40): entries and perfect-subtree hashes through the shared
 * {@link MerkleLogStore} ({@code audit_entries}, {@code audit_nodes}), and the audit log's own checkpoints
 * (one per size). Reads are plain queries on committed, append-only rows; writes happen only in the
 * sequencer's and publisher's transactions.
 */
@Component
class LogStore {
    static final LogTables TABLES = new LogTables("audit");

    private final JdbcClient jdbc;
    private final MerkleLogStore tree;

    LogStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.tree = new MerkleLogStore(TABLES, template);
    }

    /** The shared Merkle storage of the audit log's entries and subtree hashes. */
    MerkleLogStore tree() {
        return tree;
    }

    /** The number of entries in the log (entries are numbered from 0 with no gaps). */
    long size() {
        return tree.size();
    }

    /** The stored hashes of {@code ids}, fetched in one query; absent ids are absent from the map. */
    Map<NodeId, byte[]> nodes(List<NodeId> ids) {
        return tree.nodes(ids);
    }

    /** Entries {@code [start, end)} with their stored leaf and inner hashes, in index order. */
    List<StoredEntry> entries(long start, long end) {
        return tree.entries(start, end);
    }

    /** The entries at {@code indexes} (any order, at most a few thousand), by index; absent ones are absent. */
    Map<Long, byte[]> entriesAt(List<Long> indexes) {
        Map<Long, byte[]> entries = new HashMap<>();
        if (indexes.isEmpty()) {
            return entries;
        }
        jdbc.sql("SELECT idx, entry FROM audit_entries WHERE idx = ANY(:indexes)")
                .param("indexes", indexes.stream().mapToLong(Long::longValue).toArray())
                .query(row -> {
                    entries.put(row.getLong(1), row.getBytes(2));
                });
        return entries;
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
