package dev.capsule.server.audit.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.LogCursor;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.LogOutcome;
import dev.capsule.core.log.LogSource;
import dev.capsule.core.log.LogVerifier;
import dev.capsule.core.log.ProofSource;
import dev.capsule.core.text.SafeText;
import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.tlog.StoredEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A server-side verification run of the audit log: core's {@link LogVerifier} (the one {@code capsule audit verify}
 * runs) over the log as this server stores it: every checkpoint's signature by one of the platform's
 * {@code audit-checkpoint} public keys (the primary and every earlier one), every entry's stored leaf hash and the
 * inner hashes it completes, the tree recomputed from the entries against every checkpoint's root, and the stored
 * proofs (consistency between successive checkpoints, inclusion of each one's last entries) checked against the
 * signed roots. It finds what someone who can write the database but not sign checkpoints changed; a check that
 * does not trust this server at all is {@code capsule audit verify} with the key pinned on the auditor's side.
 *
 * <p>Limits: the log up to its latest checkpoint, at most {@value #ENTRIES_MAX} entries (beyond that the run is
 * refused, naming the CLI), at most {@value #SERVER_PROOFS_MAX} stored proofs checked, one run at a time per node
 * (another request meanwhile is refused with {@code audit-verification-running}).
 *
 * <p>Security guarantees: the outcome is the verifier's own; nothing read from the tables is trusted before the
 * verifier checked it; a malformed stored row is a {@link LogOutcome.Tampered} naming it, never an error page; the
 * message is escaped ({@link SafeText}) before anything prints it.
 */
@Component
class AuditVerification {
    /** Entries a run verifies at most (memory stays bounded; this bounds the time of one request). */
    static final long ENTRIES_MAX = 1_000_000;
    /** Stored proofs checked in one run at most. */
    static final long SERVER_PROOFS_MAX = 2_000;
    /** Entries and checkpoints read per query. */
    static final int PAGE_ROWS = 1_000;
    static final ProblemType RUNNING = new ProblemType(
            "audit-verification-running", HttpStatus.CONFLICT, "A verification of the audit log is already running on this node");
    static final ProblemType TOO_LARGE = new ProblemType(
            "audit-log-too-large-to-verify-here", HttpStatus.UNPROCESSABLE_CONTENT,
            "The audit log is too long to verify in one request");

    private final LogStore store;
    private final AuditLogReader reader;
    private final PlatformSigner signer;
    private final long entriesMax;
    private final Semaphore running = new Semaphore(1);

    @Autowired
    AuditVerification(LogStore store, AuditLogReader reader, PlatformSigner signer) {
        this(store, reader, signer, ENTRIES_MAX);
    }

    /** With another entry limit (tests: the refusal of a log longer than a run may verify). */
    AuditVerification(LogStore store, AuditLogReader reader, PlatformSigner signer, long entriesMax) {
        this.store = store;
        this.reader = reader;
        this.signer = signer;
        this.entriesMax = entriesMax;
    }

    /**
     * What a run concluded.
     *
     * @param valid       whether every check passed
     * @param message     the verifier's one line, escaped
     * @param size        entries covered by the latest checkpoint (what was verified)
     * @param uncovered   entries newer than the latest checkpoint (not yet signed, so not verified)
     * @param trustedKeys the ids of the audit-checkpoint public keys the signatures were checked against
     */
    record Result(boolean valid, String message, long size, long uncovered, long checkpoints, long serverProofs,
            List<String> trustedKeys, Instant finishedAt, long millis) {
    }

    Result run() {
        if (!running.tryAcquire()) {
            throw new ProblemException(RUNNING, "a verification of the audit log is already running on this node; try again when it has finished");
        }
        try {
            Instant started = Instant.now();
            long size = store.latestCheckpoint().map(LogStore.StoredCheckpoint::size)
                    .orElseThrow(() -> new ProblemException(AuditProblems.LOG_EMPTY, "no checkpoint has been published yet: nothing vouches for any entry"));
            if (size > entriesMax) {
                throw new ProblemException(TOO_LARGE, "the log has " + size + " signed entries, more than the " + entriesMax
                        + " one request verifies: run capsule audit verify --url ... --trust KEY.pub (docs/audit.md)");
            }
            long uncovered = Math.max(0, store.size() - size);
            List<PlatformPublicKey> keys = signer.publicKeys(SigningPurpose.AUDIT_CHECKPOINT);
            List<VerifyingKey> trusted = keys.stream().map(PlatformPublicKey::key).toList();
            LogOutcome outcome;
            try {
                outcome = new LogVerifier(trusted, SERVER_PROOFS_MAX, null).verify(source(size));
            } catch (IOException e) {
                // The stored log is read from the database; a read failure is the server's, never the log's verdict.
                throw new IllegalStateException("the audit log could not be read for verification", e);
            }
            long millis = Duration.between(started, Instant.now()).toMillis();
            List<String> keyIds = keys.stream().map(key -> key.key().keyId().hex()).toList();
            return switch (outcome) {
                case LogOutcome.Valid valid -> new Result(true, SafeText.escape(valid.message()), size, uncovered, valid.checkpoints(),
                        valid.serverProofs(), keyIds, Instant.now(), millis);
                case LogOutcome.Tampered tampered -> new Result(false, SafeText.escape(tampered.message()), size, uncovered, 0, 0, keyIds,
                        Instant.now(), millis);
            };
        } finally {
            running.release();
        }
    }

    /** The stored log of {@code size} entries as a verifier's source, with the stored proofs. */
    private LogSource source(long size) {
        ProofSource proofs = new ProofSource() {
            @Override
            public List<byte[]> inclusionProof(long index, long treeSize) throws LogFormatException {
                try {
                    return reader.inclusion(index, treeSize).proof();
                } catch (ProblemException | IllegalStateException e) {
                    throw new LogFormatException("the stored inclusion proof of entry " + index + " in " + treeSize + " cannot be built: "
                            + e.getMessage());
                }
            }

            @Override
            public List<byte[]> consistencyProof(long from, long to) throws LogFormatException {
                try {
                    return reader.consistency(from, to);
                } catch (ProblemException | IllegalStateException e) {
                    throw new LogFormatException("the stored consistency proof " + from + " to " + to + " cannot be built: " + e.getMessage());
                }
            }
        };
        return LogSource.of(size, () -> checkpoints(size), () -> entries(size), Optional.of(proofs));
    }

    private LogCursor<byte[]> checkpoints(long size) {
        return new Paged<>() {
            private long fromSize = 0;

            @Override
            List<byte[]> fetch() {
                if (fromSize > size) {
                    return List.of();
                }
                List<LogStore.StoredCheckpoint> page = store.checkpoints(fromSize, PAGE_ROWS);
                List<byte[]> notes = page.stream().filter(c -> c.size() <= size).map(c -> c.note().getBytes(StandardCharsets.UTF_8)).toList();
                fromSize = page.size() < PAGE_ROWS ? Long.MAX_VALUE : page.getLast().size() + 1;
                return notes;
            }
        };
    }

    private LogCursor<LogEntry> entries(long size) {
        return new Paged<>() {
            private long start = 0;

            @Override
            List<LogEntry> fetch() throws LogFormatException {
                if (start >= size) {
                    return List.of();
                }
                long end = Math.min(size, start + PAGE_ROWS);
                List<StoredEntry> page = store.entries(start, end);
                List<LogEntry> entries = new ArrayList<>(page.size());
                for (StoredEntry stored : page) {
                    if (stored.leafHash() == null) {
                        throw new LogFormatException("entry " + stored.index() + " has no stored leaf hash");
                    }
                    try {
                        entries.add(new LogEntry(stored.index(), stored.entry(), stored.leafHash(), stored.innerHashes()));
                    } catch (IllegalArgumentException e) {
                        throw new LogFormatException("entry " + stored.index() + " is stored malformed: " + e.getMessage());
                    }
                }
                start = end;
                return entries;
            }
        };
    }

    /** A cursor over pages a query fetches; an empty page ends it. */
    private abstract static class Paged<T> implements LogCursor<T> {
        private final Deque<T> buffered = new ArrayDeque<>();
        private boolean ended;

        abstract List<T> fetch() throws LogFormatException;

        @Override
        public T next() throws LogFormatException {
            if (buffered.isEmpty() && !ended) {
                List<T> page = fetch();
                if (page.isEmpty()) {
                    ended = true;
                } else {
                    buffered.addAll(page);
                }
            }
            return buffered.pollFirst();
        }

        @Override
        public void close() {
            buffered.clear();
        }
    }
}
