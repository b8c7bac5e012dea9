package dev.capsule.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.LogOutcome.CheckpointPlace;
import dev.capsule.core.log.LogOutcome.EntryPlace;
import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.testing.TestAuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogVerifier} over export files and in-memory sources: a faithful log verifies; every kind of tampering is
 * found and named at the first bad entry or checkpoint.
 */
class LogVerifierTest {
    private static final String ORIGIN = "capsule.local/audit/test";
    private static final SigningKey KEY = SigningKey.generate();
    private static final TestAuditLog LOG = TestAuditLog.build(ORIGIN, KEY, 1000, 0, 1, 7, 64, 64, 300, 999, 1000);
    /** Line index in the export of entry i: header, then one line per checkpoint. */
    private static final int FIRST_ENTRY_LINE = 1 + LOG.checkpointNotes().size();

    @TempDir
    Path tmp;

    @Test
    void faithfulExportVerifies() throws Exception {
        LogOutcome outcome = verify(export());
        assertThat(outcome).isEqualTo(new LogOutcome.Valid(ORIGIN, 1000, 8, 0));
        assertThat(outcome.message()).isEqualTo("log " + ORIGIN + " verified: 1000 entries, 8 signed checkpoints");
    }

    @Test
    void faithfulServerWithHonestProofsVerifies() throws Exception {
        LogOutcome outcome = verifier().verify(LOG.source(Optional.of(LOG.honestProofs())));
        // Per checkpoint with a new size: consistency from the previous, inclusion of its last entry and of the
        // previous checkpoint's last; the first (size 1) has no previous above size 0.
        assertThat(outcome).isInstanceOfSatisfying(LogOutcome.Valid.class, v -> assertThat(v.serverProofs()).isEqualTo(1 + 5 * 3));
    }

    @Test
    void changedEntryBytesAreNamedAtTheirIndex() throws Exception {
        Path file = export();
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 123, entryLine(123, "{\"index\":123,\"type\":\"nothing-happened\"}".getBytes(StandardCharsets.UTF_8), null));
        assertTampered(verify(file), new EntryPlace(123), "leaf hash does not match");
    }

    @Test
    void changedEntryWithRecomputedLeafHashIsCaughtByTheNextCheckpoint() throws Exception {
        Path file = export();
        byte[] forged = "{\"index\":123,\"type\":\"nothing-happened\"}".getBytes(StandardCharsets.UTF_8);
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 123, entryLine(123, forged, MerkleHash.leafHash(forged)));
        assertTampered(verify(file), new CheckpointPlace(6, 300), "one of entries 64..299");
    }

    @Test
    void changedLeafHashIsNamedAtItsIndex() throws Exception {
        Path file = export();
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 5, entryLine(5, LOG.entries().get(5), MerkleHash.leafHash(new byte[] {1})));
        assertTampered(verify(file), new EntryPlace(5), "leaf hash does not match");
    }

    @Test
    void droppedEntryIsNamed() throws Exception {
        List<LogEntry> entries = new ArrayList<>(LOG.logEntries());
        entries.remove(500);
        LogOutcome outcome = verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty()));
        assertTampered(outcome, new EntryPlace(500), "found entry 501 where entry 500 belongs");
    }

    @Test
    void reorderedEntriesAreNamed() throws Exception {
        Path file = export();
        List<String> lines = Files.readAllLines(file);
        String a = lines.get(FIRST_ENTRY_LINE + 40);
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 40, lines.get(FIRST_ENTRY_LINE + 41));
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 41, a);
        assertTampered(verify(file), new EntryPlace(40), "found entry 41 where entry 40 belongs");
    }

    @Test
    void reorderedEntriesWithRewrittenIndexesAreCaughtByTheNextCheckpoint() throws Exception {
        List<LogEntry> entries = new ArrayList<>(LOG.logEntries());
        LogEntry a = entries.get(40);
        LogEntry b = entries.get(41);
        entries.set(40, LogEntry.of(40, b.entry()));
        entries.set(41, LogEntry.of(41, a.entry()));
        LogOutcome outcome = verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty()));
        assertTampered(outcome, new CheckpointPlace(4, 64), "one of entries 7..63");
    }

    @Test
    void truncatedLogIsNamedAtTheFirstMissingEntry() throws Exception {
        List<LogEntry> entries = LOG.logEntries().subList(0, 1000 - 3);
        LogOutcome outcome = verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty()));
        assertTampered(outcome, new EntryPlace(997), "missing: the log has 1000 entries but the source ends after 997");
    }

    @Test
    void corruptedCheckpointSignatureIsNamed() throws Exception {
        Path file = export();
        String note = new String(LOG.checkpointNotes().get(3), StandardCharsets.UTF_8);
        int sigStart = note.lastIndexOf(' ') + 1;
        char c = note.charAt(sigStart + 10);
        String corrupted = note.substring(0, sigStart + 10) + (c == 'A' ? 'B' : 'A') + note.substring(sigStart + 11);
        TestAuditLog.replaceLine(file, 1 + 3, checkpointLine(corrupted));
        assertTampered(verify(file), new CheckpointPlace(4, 64), "invalid signature");
    }

    @Test
    void changedCheckpointRootUnderTheOldSignatureIsNamed() throws Exception {
        Path file = export();
        String note = new String(LOG.checkpointNotes().get(5), StandardCharsets.UTF_8);
        String root = Base64.getEncoder().encodeToString(LOG.root(300));
        String changed = note.replace(root, Base64.getEncoder().encodeToString(LOG.root(299)));
        TestAuditLog.replaceLine(file, 1 + 5, checkpointLine(changed));
        assertTampered(verify(file), new CheckpointPlace(6, 300), "invalid signature");
    }

    @Test
    void validlySignedCheckpointWithAWrongRootIsNamed() throws Exception {
        Path file = export();
        TestAuditLog.replaceLine(file, 1 + 5, checkpointLine(new String(LOG.sign(300, LOG.root(299)), StandardCharsets.UTF_8)));
        assertTampered(verify(file), new CheckpointPlace(6, 300), "root hash does not match the tree of the entries");
    }

    @Test
    void checkpointByAnUntrustedKeyIsNamed() throws Exception {
        TestAuditLog other = TestAuditLog.build(ORIGIN, SigningKey.generate(), 1000, 64);
        Path file = export();
        TestAuditLog.replaceLine(file, 1 + 3, checkpointLine(new String(other.checkpointNotes().getFirst(), StandardCharsets.UTF_8)));
        assertTampered(verify(file), new CheckpointPlace(4, 64), "no signature by a trusted key");
    }

    @Test
    void checkpointsOutOfOrderAreNamed() throws Exception {
        List<byte[]> notes = new ArrayList<>(LOG.checkpointNotes());
        byte[] third = notes.get(2);
        notes.set(2, notes.get(3));
        notes.set(3, third);
        LogOutcome outcome = verifier().verify(LOG.source(notes, LOG.logEntries(), Optional.empty()));
        assertTampered(outcome, new CheckpointPlace(4, 7), "checkpoints out of order");
    }

    @Test
    void twoCheckpointsOfOneSizeWithDifferentRootsAreAFork() throws Exception {
        List<byte[]> notes = new ArrayList<>(LOG.checkpointNotes());
        notes.set(4, LOG.sign(64, LOG.root(63)));
        LogOutcome outcome = verifier().verify(LOG.source(notes, LOG.logEntries(), Optional.empty()));
        assertTampered(outcome, new CheckpointPlace(5, 64), "root hash does not match");
    }

    @Test
    void entriesBeyondTheLastCheckpointAreNotVouchedFor() throws Exception {
        List<byte[]> notes = LOG.checkpointNotes().subList(0, 7);
        LogOutcome outcome = verifier().verify(LOG.source(notes, LOG.logEntries(), Optional.empty()));
        assertTampered(outcome, new EntryPlace(999), "not covered by a signed checkpoint");
    }

    @Test
    void logWithoutCheckpointsIsNotValid() throws Exception {
        LogOutcome outcome = verifier().verify(LOG.source(List.of(), LOG.logEntries(), Optional.empty()));
        assertThat(outcome).isInstanceOf(LogOutcome.Tampered.class);
        assertThat(outcome.message()).contains("no signed checkpoint");
    }

    @Test
    void lyingServerProofsAreNamed() throws Exception {
        ProofSource honest = LOG.honestProofs();
        ProofSource lying = new ProofSource() {
            @Override
            public List<byte[]> inclusionProof(long index, long size) throws IOException, LogFormatException {
                return honest.inclusionProof(index, size);
            }

            @Override
            public List<byte[]> consistencyProof(long from, long to) throws IOException, LogFormatException {
                return from == 64 ? LOG.consistencyProof(7, to) : honest.consistencyProof(from, to);
            }
        };
        assertTampered(verifier().verify(LOG.source(Optional.of(lying))), new CheckpointPlace(6, 300), "consistency proof from size 64");

        ProofSource lyingInclusion = new ProofSource() {
            @Override
            public List<byte[]> inclusionProof(long index, long size) throws IOException, LogFormatException {
                return index == 299 ? LOG.inclusionProof(298, size) : honest.inclusionProof(index, size);
            }

            @Override
            public List<byte[]> consistencyProof(long from, long to) throws IOException, LogFormatException {
                return honest.consistencyProof(from, to);
            }
        };
        assertTampered(verifier().verify(LOG.source(Optional.of(lyingInclusion))), new CheckpointPlace(6, 300), "inclusion proof of entry 299");
    }

    @Test
    void serverInnerHashesThatMatchTheEntriesVerify() throws Exception {
        LogOutcome outcome = verifier().verify(LOG.source(LOG.checkpointNotes(), entriesWithInnerHashes(), Optional.empty()));
        assertThat(outcome).isInstanceOf(LogOutcome.Valid.class);
    }

    @Test
    void changedStoredInnerHashIsNamedAtTheEntryThatCompletesIt() throws Exception {
        List<LogEntry> entries = entriesWithInnerHashes();
        LogEntry seventh = entries.get(7); // completes entries 6..7, 4..7 and 0..7
        List<byte[]> inner = new ArrayList<>(seventh.innerHashes());
        inner.set(1, MerkleHash.leafHash(new byte[] {9}));
        entries.set(7, new LogEntry(7, seventh.entry(), seventh.leafHash(), inner));
        assertTampered(verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty())), new EntryPlace(7),
                "stored hash of entries 4..7 differs");
    }

    @Test
    void missingStoredInnerHashIsNamed() throws Exception {
        List<LogEntry> entries = entriesWithInnerHashes();
        LogEntry last = entries.get(511); // completes 9 subtrees, up to entries 0..511
        entries.set(511, new LogEntry(511, last.entry(), last.leafHash(), last.innerHashes().subList(0, 8)));
        assertTampered(verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty())), new EntryPlace(511),
                "stored hash of entries 0..511 is missing");
    }

    @Test
    void extraStoredInnerHashIsNamed() throws Exception {
        List<LogEntry> entries = entriesWithInnerHashes();
        LogEntry even = entries.get(10); // completes nothing above its leaf
        entries.set(10, new LogEntry(10, even.entry(), even.leafHash(), List.of(MerkleHash.leafHash(new byte[] {1}))));
        assertTampered(verifier().verify(LOG.source(LOG.checkpointNotes(), entries, Optional.empty())), new EntryPlace(10),
                "gives 1 inner hashes");
    }

    /** The log's entries as a server gives them: each with the inner hashes of the subtrees it completes. */
    private static List<LogEntry> entriesWithInnerHashes() {
        CompactRange range = new CompactRange();
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < LOG.entries().size(); i++) {
            byte[] entry = LOG.entries().get(i);
            List<byte[]> inner = new ArrayList<>();
            range.append(MerkleHash.leafHash(entry), (node, hash) -> {
                if (node.level() > 0) {
                    inner.add(hash);
                }
            });
            out.add(new LogEntry(i, entry, MerkleHash.leafHash(entry), inner));
        }
        return out;
    }

    @Test
    void exportFormatErrorsNameTheLine() throws Exception {
        Path file = export();
        TestAuditLog.replaceLine(file, FIRST_ENTRY_LINE + 10, "{\"index\":10,\"entry\":\"AA==\",\"leafHash\":\"AA==\",\"extra\":1}");
        assertThat(verify(file).message()).contains("export line " + (FIRST_ENTRY_LINE + 11)).contains("unknown field 'extra'");

        Path other = export();
        Files.writeString(other, "{\"checkpoint\":\"x\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(verify(other).message()).contains("a checkpoint after the entries");

        Path truncated = export();
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThat(verify(truncated).message()).contains("truncated (no final newline)");

        Path longLine = export();
        TestAuditLog.replaceLine(longLine, FIRST_ENTRY_LINE + 2, "x".repeat(ExportFormat.LINE_BYTES_MAX + 1));
        assertThat(verify(longLine).message()).contains("longer than " + ExportFormat.LINE_BYTES_MAX + " bytes");
    }

    @Test
    void exportHeaderIsRequired() throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"index\":0,\"entry\":\"AA==\",\"leafHash\":\"AA==\"}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExportFile.open(file))
                .isInstanceOf(LogFormatException.class).hasMessageContaining("export line 1");
        Files.writeString(file, "{\"format\":\"capsule-audit-export/2\",\"origin\":\"o\",\"size\":0}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExportFile.open(file))
                .isInstanceOf(LogFormatException.class).hasMessageContaining("unsupported export format");
    }

    @Test
    void exportHeaderClaimingAnotherOriginIsNamed() throws Exception {
        Path file = export();
        TestAuditLog.replaceLine(file, 0, "{\"format\":\"capsule-audit-export/1\",\"origin\":\"capsule.local/audit/other\",\"size\":1000}");
        assertTampered(verify(file), new CheckpointPlace(1, 0), "is not the log's origin 'capsule.local/audit/other'");
    }

    private Path export() throws IOException {
        Path file = Files.createTempFile(tmp, "audit", ".jsonl");
        LOG.writeExport(file);
        return file;
    }

    private static LogVerifier verifier() {
        return new LogVerifier(List.of(KEY.publicKey()), LogVerifier.SERVER_PROOFS_MAX, null);
    }

    private static LogOutcome verify(Path file) throws Exception {
        return verifier().verify(ExportFile.open(file));
    }

    private static void assertTampered(LogOutcome outcome, LogOutcome.Place place, String reason) {
        assertThat(outcome).isInstanceOfSatisfying(LogOutcome.Tampered.class, t -> {
            assertThat(t.place()).isEqualTo(place);
            assertThat(t.reason()).contains(reason);
        });
    }

    private static String entryLine(long index, byte[] entry, byte[] leafHash) {
        byte[] hash = leafHash != null ? leafHash : MerkleHash.leafHash(LOG.entries().get((int) index));
        return "{\"index\":" + index + ",\"entry\":\"" + Base64.getEncoder().encodeToString(entry) + "\",\"leafHash\":\""
                + Base64.getEncoder().encodeToString(hash) + "\"}";
    }

    private static String checkpointLine(String note) {
        return "{\"checkpoint\":" + dev.capsule.core.json.StrictJson.mapper().writeValueAsString(note) + "}";
    }
}
