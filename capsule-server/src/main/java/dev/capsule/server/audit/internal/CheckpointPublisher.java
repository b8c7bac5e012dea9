package dev.capsule.server.audit.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.LogOrigins;
import dev.capsule.server.platform.ProblemException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes signed checkpoints (C2SP tlog-checkpoint in a signed note, signed with the platform's
 * {@link SigningPurpose#AUDIT_CHECKPOINT} key): every {@link #INTERVAL_MILLIS} on every node when the
 * log has grown since the latest checkpoint, and on demand. Publishing holds the sequencer's advisory
 * lock, so the size and root it signs are those of a committed tree that nothing is appending to.
 *
 * <p>Security guarantees: the root is computed from the stored perfect-subtree hashes the sequencer
 * wrote; a checkpoint is stored once per size (append-only table) and never rewritten; the signature
 * covers exactly the checkpoint body; the signing key never leaves the keys module.
 */
@Component
class CheckpointPublisher {
    /** How often every node checks whether the log grew and, if so, publishes a checkpoint. */
    static final long INTERVAL_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);

    private final Sequencer sequencer;
    private final TransactionTemplate transactions;
    private final LogStore store;
    private final PlatformSigner signer;
    private final LogOrigins origins;

    CheckpointPublisher(Sequencer sequencer, TransactionTemplate transactions, LogStore store, PlatformSigner signer, LogOrigins origins) {
        this.sequencer = sequencer;
        this.transactions = transactions;
        this.store = store;
        this.signer = signer;
        this.origins = origins;
    }

    @Scheduled(initialDelay = INTERVAL_MILLIS, fixedDelay = INTERVAL_MILLIS)
    void scheduledRun() {
        try {
            sequencer.run(false);
            if (store.size() > store.latestCheckpoint().map(LogStore.StoredCheckpoint::size).orElse(0L)) {
                publish();
            }
        } catch (RuntimeException e) {
            log.warn("publishing an audit checkpoint failed; the next run retries", e);
        }
    }

    /** Sequences what is pending (waiting for the lock), then publishes a checkpoint of the whole log. */
    LogStore.StoredCheckpoint publishNow() {
        sequencer.run(true);
        return publish().orElseThrow(() -> new ProblemException(AuditProblems.LOG_EMPTY, "the audit log has no entries to sign"));
    }

    /** A checkpoint of the log as it is (the latest stored one if the log has not grown); empty for an empty log. */
    Optional<LogStore.StoredCheckpoint> publish() {
        return Optional.ofNullable(transactions.execute(status -> {
            sequencer.lock(true);
            long size = store.size();
            if (size == 0) {
                return null;
            }
            Optional<LogStore.StoredCheckpoint> latest = store.latestCheckpoint();
            if (latest.isPresent() && latest.get().size() == size) {
                return latest.get();
            }
            byte[] root = MerkleProofs.root(size, store.nodes(MerkleProofs.rootNodes(size)));
            // SignedNote.sign checks the signature against the primary key read here (a rotation in between fails this run).
            VerifyingKey key = signer.primary(SigningPurpose.AUDIT_CHECKPOINT).key();
            String note = new Checkpoint(origins.audit().name(), size, root)
                    .sign(key, body -> signer.sign(SigningPurpose.AUDIT_CHECKPOINT, body).signature())
                    .encodedText();
            LogStore.StoredCheckpoint stored = new LogStore.StoredCheckpoint(size, root, note);
            store.insertCheckpoint(stored);
            return stored;
        }));
    }
}
