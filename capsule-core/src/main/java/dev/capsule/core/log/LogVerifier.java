package dev.capsule.core.log;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.LogOutcome.CheckpointPlace;
import dev.capsule.core.log.LogOutcome.EntryPlace;
import dev.capsule.core.log.LogOutcome.SourcePlace;
import dev.capsule.core.log.LogOutcome.Tampered;
import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a whole transparency log (the audit log, the release log) without trusting its source: every checkpoint's signature (by a trusted key named
 * after the log's origin), every entry's leaf hash, the tree recomputed from the leaves against the root of every
 * checkpoint, completeness and order of the entries, and, for a live server, its consistency proofs between
 * successive checkpoints and inclusion proofs of each checkpoint's last entry (and of the previous one's).
 *
 * <p>Security guarantees: {@link LogOutcome.Valid} means the entries 0..size-1 are exactly the ones every
 * trusted checkpoint commits to: changing, dropping, inserting or reordering any entry, or changing any
 * checkpoint, gives {@link LogOutcome.Tampered} naming the first entry or checkpoint where it shows. Memory
 * stays bounded whatever the log's size: the tree is recomputed with a {@link CompactRange} (O(log n) hashes)
 * and entries and checkpoints are streamed. Server proof checks are capped at {@code serverProofsMax} requests.
 */
public final class LogVerifier {
    /** Default cap on server proof requests in one verification (each is one HTTP round trip). */
    public static final long SERVER_PROOFS_MAX = 10_000;
    /** Checkpoints accepted in one log. */
    public static final long CHECKPOINTS_MAX = 10_000_000;
    /** How often progress is reported. */
    public static final long PROGRESS_EVERY_ENTRIES = 100_000;

    /** Told how far verification has come, every {@link #PROGRESS_EVERY_ENTRIES} entries and at the end. */
    @FunctionalInterface
    public interface Progress {
        void entriesVerified(long done, long total);
    }

    /**
     * What a particular log demands of each entry's content beyond its leaf hash (the release log: every entry is a
     * valid release-log entry and consistent with the ones before it). Called once per entry, in order.
     */
    @FunctionalInterface
    public interface EntryCheck {
        /** Null when entry {@code index} is acceptable, otherwise one line saying why not. */
        String problem(long index, byte[] entry);
    }

    private final List<VerifyingKey> trusted;
    private final long serverProofsMax;
    private final Progress progress;
    private final EntryCheck entryCheck;

    /** A verifier that treats entries as opaque bytes (the audit log). */
    public LogVerifier(List<VerifyingKey> trusted, long serverProofsMax, Progress progress) {
        this(trusted, serverProofsMax, progress, (index, entry) -> null);
    }

    /** A verifier that also applies {@code entryCheck} to every entry, in log order. */
    public LogVerifier(List<VerifyingKey> trusted, long serverProofsMax, Progress progress, EntryCheck entryCheck) {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("verifying a log needs at least one trusted key");
        }
        if (serverProofsMax < 0) {
            throw new IllegalArgumentException("serverProofsMax must be >= 0");
        }
        this.trusted = List.copyOf(trusted);
        this.serverProofsMax = serverProofsMax;
        this.progress = progress;
        this.entryCheck = java.util.Objects.requireNonNull(entryCheck, "entryCheck");
    }

    /**
     * Reads the whole source and returns the outcome.
     *
     * @throws IOException only when the source cannot be read at all (file or network failure); anything read
     *     that is malformed or wrong is an outcome, never an exception
     */
    public LogOutcome verify(LogSource source) throws IOException {
        try (LogCursor<byte[]> checkpoints = source.checkpoints(); LogCursor<LogEntry> entries = source.entries()) {
            return new Run(source, checkpoints, entries).verify();
        }
    }

    /** The state of one verification; the log is read once, in order. */
    private final class Run {
        private final long total;
        private final LogCursor<byte[]> checkpoints;
        private final LogCursor<LogEntry> entries;
        private final Optional<ProofSource> proofs;
        private final CompactRange range = new CompactRange();
        private String origin;
        private long checkpointCount;
        private long proofCount;
        /** The next checkpoint, verified and waiting for the tree to reach its size. */
        private Checkpoint pending;
        /** The last checkpoint matched against the tree, and the leaf hash of its last entry. */
        private Checkpoint previous;
        private byte[] previousLastLeaf;

        Run(LogSource source, LogCursor<byte[]> checkpoints, LogCursor<LogEntry> entries) {
            this.total = source.size();
            this.checkpoints = checkpoints;
            this.entries = entries;
            this.proofs = source.proofs();
            this.origin = source.declaredOrigin().orElse(null);
        }

        LogOutcome verify() throws IOException {
            try {
                Tampered problem = advance();
                if (problem == null) {
                    problem = matchCheckpoints(null);
                }
                long expected = 0;
                LogEntry entry;
                while (problem == null && (entry = entries.next()) != null) {
                    if (entry.index() != expected) {
                        return tampered(new EntryPlace(expected), "found entry " + entry.index() + " where entry " + expected
                                + " belongs: entries were dropped, duplicated or reordered");
                    }
                    if (expected >= total) {
                        return tampered(new EntryPlace(expected), "beyond the log's declared size " + total);
                    }
                    byte[] leaf = MerkleHash.leafHash(entry.entry());
                    if (!MerkleHash.equal(leaf, entry.leafHash())) {
                        return tampered(new EntryPlace(expected), "leaf hash does not match the entry bytes");
                    }
                    String content = entryCheck.problem(expected, entry.entry());
                    if (content != null) {
                        return tampered(new EntryPlace(expected), content);
                    }
                    problem = appendChecked(entry, leaf);
                    if (problem != null) {
                        return problem;
                    }
                    expected++;
                    if (progress != null && expected % PROGRESS_EVERY_ENTRIES == 0) {
                        progress.entriesVerified(expected, total);
                    }
                    problem = matchCheckpoints(leaf);
                }
                if (problem != null) {
                    return problem;
                }
                if (expected < total) {
                    return tampered(new EntryPlace(expected), "missing: the log has " + total + " entries but the source ends after "
                            + expected);
                }
                if (pending != null) {
                    return tampered(checkpointPlace(pending), "size " + pending.size() + " is beyond the log's " + total + " entries");
                }
                if (previous == null) {
                    return tampered(new SourcePlace("log"), "no signed checkpoint: nothing vouches for the entries");
                }
                if (previous.size() != total) {
                    return tampered(new EntryPlace(previous.size()), "entries from index " + previous.size()
                            + " on are not covered by a signed checkpoint");
                }
                if (progress != null) {
                    progress.entriesVerified(expected, total);
                }
                return new LogOutcome.Valid(origin, total, checkpointCount, proofCount);
            } catch (LogFormatException e) {
                return tampered(new SourcePlace("log source"), e.getMessage());
            }
        }

        /**
         * Adds the leaf to the recomputed tree and, when the source gives the inner hashes it stores (a server
         * does), compares each subtree this entry completes with it: a stored inner hash that was changed or
         * removed would make the server's proofs through that subtree fail, so it is named here, at the entry
         * that completes it, rather than only when some proof happens to pass through it.
         */
        private Tampered appendChecked(LogEntry entry, byte[] leaf) {
            List<Map.Entry<NodeId, byte[]>> completed = new ArrayList<>();
            range.append(leaf, (node, hash) -> {
                if (node.level() > 0) {
                    completed.add(Map.entry(node, hash));
                }
            });
            Optional<List<byte[]>> stored = entry.storedInnerHashes();
            if (stored.isEmpty()) {
                return null;
            }
            List<byte[]> hashes = stored.get();
            for (int i = 0; i < completed.size(); i++) {
                NodeId node = completed.get(i).getKey();
                long first = node.index() << node.level();
                long last = first + (1L << node.level()) - 1;
                if (i >= hashes.size()) {
                    return tampered(new EntryPlace(entry.index()), "the source's stored hash of entries " + first + ".." + last
                            + " is missing (its proofs through them cannot be right)");
                }
                if (!MerkleHash.equal(completed.get(i).getValue(), hashes.get(i))) {
                    return tampered(new EntryPlace(entry.index()), "the source's stored hash of entries " + first + ".." + last
                            + " differs from the one recomputed from the entries (its proofs through them are wrong)");
                }
            }
            if (hashes.size() > completed.size()) {
                return tampered(new EntryPlace(entry.index()), "the source gives " + hashes.size() + " inner hashes for this entry, which completes "
                        + completed.size() + " subtrees");
            }
            return null;
        }

        /** Reads and checks the next checkpoint into {@link #pending} (null at the end). */
        private Tampered advance() throws IOException, LogFormatException {
            byte[] note = checkpoints.next();
            if (note == null) {
                pending = null;
                return null;
            }
            checkpointCount++;
            if (checkpointCount > CHECKPOINTS_MAX) {
                return tampered(new CheckpointPlace(checkpointCount, -1), "more than " + CHECKPOINTS_MAX + " checkpoints");
            }
            return switch (CheckpointVerification.verify(note, trusted)) {
                case CheckpointVerification.Rejected r -> tampered(new CheckpointPlace(checkpointCount, sizeIfReadable(note)), r.reason());
                case CheckpointVerification.Verified v -> accept(v.checkpoint());
            };
        }

        private Tampered accept(Checkpoint checkpoint) {
            CheckpointPlace place = new CheckpointPlace(checkpointCount, checkpoint.size());
            if (origin == null) {
                origin = checkpoint.origin();
            } else if (!origin.equals(checkpoint.origin())) {
                return tampered(place, "origin '" + checkpoint.origin() + "' is not the log's origin '" + origin + "'");
            }
            long floor = previous == null ? 0 : previous.size();
            if (checkpoint.size() < floor) {
                return tampered(place, "size " + checkpoint.size() + " after a checkpoint of size " + floor
                        + ": checkpoints out of order, or the log was rolled back");
            }
            pending = checkpoint;
            return null;
        }

        /** Matches every pending checkpoint whose size the tree has reached. */
        private Tampered matchCheckpoints(byte[] lastLeaf) throws IOException, LogFormatException {
            while (pending != null && pending.size() == range.size()) {
                if (!MerkleHash.equal(range.root(), pending.rootHash())) {
                    String span = previous == null || previous.size() == pending.size()
                            ? "entries 0.." + (pending.size() - 1)
                            : "entries " + previous.size() + ".." + (pending.size() - 1);
                    return tampered(checkpointPlace(pending), pending.size() == 0 ? "root hash is not the empty tree's"
                            : "root hash does not match the tree of the entries: one of " + span + " or the checkpoint was changed");
                }
                Tampered proofProblem = checkServerProofs(lastLeaf);
                if (proofProblem != null) {
                    return proofProblem;
                }
                previous = pending;
                previousLastLeaf = lastLeaf;
                Tampered next = advance();
                if (next != null) {
                    return next;
                }
            }
            return null;
        }

        private Tampered checkServerProofs(byte[] lastLeaf) throws IOException, LogFormatException {
            if (proofs.isEmpty() || pending.size() == 0 || (previous != null && previous.size() == pending.size())) {
                return null;
            }
            ProofSource server = proofs.get();
            CheckpointPlace place = checkpointPlace(pending);
            long size = pending.size();
            byte[] root = pending.rootHash();
            if (previous != null && previous.size() > 0 && proofCount < serverProofsMax) {
                proofCount++;
                if (!MerkleProofs.verifyConsistency(previous.size(), size, server.consistencyProof(previous.size(), size),
                        previous.rootHash(), root)) {
                    return tampered(place, "the server's consistency proof from size " + previous.size() + " does not verify");
                }
            }
            if (proofCount < serverProofsMax) {
                proofCount++;
                if (!MerkleProofs.verifyInclusion(size - 1, size, lastLeaf, server.inclusionProof(size - 1, size), root)) {
                    return tampered(place, "the server's inclusion proof of entry " + (size - 1) + " does not verify");
                }
            }
            if (previousLastLeaf != null && proofCount < serverProofsMax) {
                proofCount++;
                long index = previous.size() - 1;
                if (!MerkleProofs.verifyInclusion(index, size, previousLastLeaf, server.inclusionProof(index, size), root)) {
                    return tampered(place, "the server's inclusion proof of entry " + index + " does not verify");
                }
            }
            return null;
        }

        private CheckpointPlace checkpointPlace(Checkpoint checkpoint) {
            return new CheckpointPlace(checkpointCount, checkpoint.size());
        }

        private Tampered tampered(LogOutcome.Place place, String reason) {
            return new Tampered(place, reason);
        }
    }

    /** The size a rejected note claims, for the message, or -1 when it cannot even be read. */
    private static long sizeIfReadable(byte[] note) {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text()).size();
        } catch (LogFormatException e) {
            return -1;
        }
    }
}
