package dev.capsule.core.testing;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.ExportWriter;
import dev.capsule.core.log.LogCursor;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.LogSource;
import dev.capsule.core.log.ProofSource;
import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An audit log built in memory with the core API, as the server would build it: entries, every perfect subtree
 * hash, and checkpoints signed with a test key. Tests export it, serve it, or tamper with it.
 */
public final class TestAuditLog {
    private final String origin;
    private final SigningKey key;
    private final List<byte[]> entries = new ArrayList<>();
    private final Map<NodeId, byte[]> nodes = new HashMap<>();
    private final List<byte[]> checkpointNotes = new ArrayList<>();

    private TestAuditLog(String origin, SigningKey key) {
        this.origin = origin;
        this.key = key;
    }

    /** A log of {@code size} entries with signed checkpoints at {@code checkpointSizes} (ascending). */
    public static TestAuditLog build(String origin, SigningKey key, int size, long... checkpointSizes) {
        TestAuditLog log = new TestAuditLog(origin, key);
        CompactRange range = new CompactRange();
        for (int i = 0; i < size; i++) {
            byte[] entry = entry(i);
            log.entries.add(entry);
            range.append(MerkleHash.leafHash(entry), log.nodes::put);
        }
        for (long checkpointSize : checkpointSizes) {
            log.checkpointNotes.add(log.sign(checkpointSize, MerkleProofs.root(checkpointSize, log.nodes)));
        }
        return log;
    }

    /** Canonical JSON of a plausible audit event. */
    public static byte[] entry(int index) {
        return ("{\"actor\":\"0b6f2a4e-8d1c-4f7a-9a51-" + String.format("%012d", index) + "\",\"index\":" + index
                + ",\"outcome\":\"" + (index % 7 == 0 ? "failure" : "success") + "\",\"time\":\"2026-11-24T06:00:00."
                + String.format("%06d", index % 1_000_000) + "Z\",\"type\":\"sign-in.password\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A checkpoint note of {@code size} with any root, signed by this log's key. */
    public byte[] sign(long size, byte[] root) {
        return new Checkpoint(origin, size, root).sign(key.publicKey(), key::sign).encode();
    }

    public String origin() {
        return origin;
    }

    public SigningKey key() {
        return key;
    }

    public long size() {
        return entries.size();
    }

    public List<byte[]> entries() {
        return entries;
    }

    public List<byte[]> checkpointNotes() {
        return checkpointNotes;
    }

    public byte[] root(long size) {
        return MerkleProofs.root(size, nodes);
    }

    public List<byte[]> inclusionProof(long index, long size) {
        return MerkleProofs.inclusionProof(index, size, nodes);
    }

    public List<byte[]> consistencyProof(long from, long to) {
        return MerkleProofs.consistencyProof(from, to, nodes);
    }

    /** Writes the export with these (possibly tampered) checkpoint notes and entries. */
    public static void writeExport(Path file, String origin, long size, List<byte[]> notes, List<LogEntry> entries) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            ExportWriter writer = new ExportWriter(out, origin, size);
            for (byte[] note : notes) {
                writer.checkpoint(note);
            }
            for (LogEntry entry : entries) {
                writer.entry(entry);
            }
            writer.finish();
        } catch (LogFormatException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public void writeExport(Path file) throws IOException {
        writeExport(file, origin, size(), checkpointNotes, logEntries());
    }

    public List<LogEntry> logEntries() {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(LogEntry.of(i, entries.get(i)));
        }
        return out;
    }

    /** The log as an in-memory source, with honest proofs when {@code proofs} is given. */
    public LogSource source(Optional<ProofSource> proofs) {
        return source(checkpointNotes, logEntries(), proofs);
    }

    public LogSource source(List<byte[]> notes, List<LogEntry> logEntries, Optional<ProofSource> proofs) {
        return LogSource.of(size(), () -> cursor(notes.iterator()), () -> cursor(logEntries.iterator()), proofs);
    }

    /** The server's honest proof API over this log. */
    public ProofSource honestProofs() {
        return new ProofSource() {
            @Override
            public List<byte[]> inclusionProof(long index, long size) {
                return TestAuditLog.this.inclusionProof(index, size);
            }

            @Override
            public List<byte[]> consistencyProof(long from, long to) {
                return TestAuditLog.this.consistencyProof(from, to);
            }
        };
    }

    private static <T> LogCursor<T> cursor(Iterator<T> items) {
        return new LogCursor<>() {
            @Override
            public T next() {
                return items.hasNext() ? items.next() : null;
            }

            @Override
            public void close() {}
        };
    }

    /** Rewrites line {@code lineIndex} (0-based) of a text file. */
    public static void replaceLine(Path file, int lineIndex, String newLine) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            lines.set(lineIndex, newLine);
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
