package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.LogOrigins;
import dev.capsule.server.tlog.LogTables;
import dev.capsule.server.tlog.MerkleLogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The release transparency log (V60): entries appended through the shared {@link MerkleLogStore}, each append
 * followed at once by a C2SP checkpoint of the new size signed with the platform's
 * {@link SigningPurpose#RELEASE_CHECKPOINT} key under the release log's origin, with one extension line
 * {@code time <unix seconds>}. A checkpoint older than {@link #CHECKPOINT_REFRESH} is re-signed for the same size
 * with a newer time, so a client that sees only old checkpoints knows it is being shown a frozen log.
 *
 * <p>Appends happen in the caller's transaction (the approval's, a rollout change's, a revocation's) under
 * {@link #LOCK_KEY}, a PostgreSQL advisory transaction lock every node takes, so indexes never collide and the
 * checkpoint signed covers exactly the committed tree plus this append: all or nothing.
 *
 * <p>Security guarantees: entries, subtree hashes and checkpoints are append-only (V60's triggers); every
 * stored checkpoint was signed by the keys module over a root computed from the stored subtrees; the signing key
 * never leaves the keys module.
 */
@Component
class ReleaseLog {
    static final LogTables TABLES = new LogTables("release_log");
    /** The advisory lock of every change to the release log and the revocation lists ("capsrel1"). */
    static final long LOCK_KEY = 0x6361707372656C31L;
    /** Longest wait for another node's release action. */
    static final int LOCK_WAIT_SECONDS_MAX = 10;
    /** A checkpoint older than this is re-signed (same size, newer time); runtimes refuse one older than their maximum age (24 h by default). */
    static final Duration CHECKPOINT_REFRESH = Duration.ofHours(1);
    /**
     * A checkpoint or revocation list stamped further ahead of this node's clock than this is re-signed: runtimes
     * refuse times in their future (beyond their clock skew allowance), so one signed before a clock was set back
     * must not stay the latest.
     */
    static final Duration CLOCK_AHEAD_MAX = Duration.ofMinutes(1);
    /** How often every node checks whether the checkpoint or the revocation list needs refreshing. */
    static final long REFRESH_CHECK_MILLIS = 60_000;

    private static final Logger log = LoggerFactory.getLogger(ReleaseLog.class);

    private final JdbcClient jdbc;
    private final MerkleLogStore tree;
    private final PlatformSigner signer;
    private final LogOrigins origins;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ReleaseLog(JdbcClient jdbc, JdbcTemplate template, PlatformSigner signer, LogOrigins origins, TransactionTemplate transactions,
            ObjectProvider<Clock> clocks) {
        this.jdbc = jdbc;
        this.tree = new MerkleLogStore(TABLES, template);
        this.signer = signer;
        this.origins = origins;
        this.transactions = transactions;
        this.clock = clocks.getIfUnique(Clock::systemUTC);
    }

    /** A stored checkpoint: the signed note's text and what it states. */
    record StoredCheckpoint(long size, byte[] rootHash, Instant time, String note) {
    }

    MerkleLogStore tree() {
        return tree;
    }

    Instant now() {
        return clock.instant();
    }

    /** Takes the release log's lock in the current transaction (waiting at most {@link #LOCK_WAIT_SECONDS_MAX}). */
    void lock() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the release log is changed only inside a transaction");
        }
        jdbc.sql("SET LOCAL lock_timeout = '" + LOCK_WAIT_SECONDS_MAX + "s'").update();
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK_KEY).query(Object.class).single();
    }

    /**
     * Appends entries in the current transaction (taking the lock) and signs a checkpoint of the new size.
     *
     * @return the index of the first entry appended
     */
    long append(List<? extends ReleaseEntry> entries) {
        lock();
        long first = tree.size();
        byte[] root = tree.append(first, entries.stream().map(ReleaseEntry::toCanonicalJson).toList());
        sign(first + entries.size(), root);
        return first;
    }

    /** The latest checkpoint (the highest id: the newest signature), if any entry was ever appended. */
    Optional<StoredCheckpoint> latestCheckpoint() {
        return jdbc.sql("SELECT size, root_hash, time_seconds, note FROM release_log_checkpoints ORDER BY id DESC LIMIT 1")
                .query((row, i) -> new StoredCheckpoint(row.getLong(1), row.getBytes(2), Instant.ofEpochSecond(row.getLong(3)), row.getString(4)))
                .optional();
    }

    /** The latest checkpoint, re-signed first when it is older than {@link #CHECKPOINT_REFRESH}. */
    Optional<StoredCheckpoint> freshCheckpoint() {
        Optional<StoredCheckpoint> latest = latestCheckpoint();
        if (latest.isPresent() && stale(latest.get())) {
            return Optional.ofNullable(transactions.execute(status -> refreshLocked()));
        }
        return latest;
    }

    @Scheduled(initialDelay = REFRESH_CHECK_MILLIS, fixedDelay = REFRESH_CHECK_MILLIS)
    void scheduledRefresh() {
        try {
            freshCheckpoint();
        } catch (RuntimeException e) {
            log.warn("refreshing the release log's checkpoint failed; the next run retries", e);
        }
    }

    private boolean stale(StoredCheckpoint checkpoint) {
        Instant now = now();
        return !checkpoint.time().plus(CHECKPOINT_REFRESH).isAfter(now) || checkpoint.time().isAfter(now.plus(CLOCK_AHEAD_MAX));
    }

    /** Under the lock: the latest again (another node may have refreshed it), re-signed if still stale. */
    private StoredCheckpoint refreshLocked() {
        lock();
        Optional<StoredCheckpoint> latest = latestCheckpoint();
        if (latest.isEmpty() || !stale(latest.get())) {
            return latest.orElse(null);
        }
        long size = tree.size();
        return sign(size, tree.root(size));
    }

    private StoredCheckpoint sign(long size, byte[] root) {
        Instant time = now();
        // SignedNote.sign checks the signature against the primary key read here (a rotation in between fails this append).
        VerifyingKey key = signer.primary(SigningPurpose.RELEASE_CHECKPOINT).key();
        Checkpoint checkpoint = Checkpoint.timed(origins.releases().name(), size, root, time);
        String note = checkpoint.sign(key, body -> signer.sign(SigningPurpose.RELEASE_CHECKPOINT, body).signature()).encodedText();
        long seconds = checkpoint.time().orElseThrow().getEpochSecond();
        jdbc.sql("INSERT INTO release_log_checkpoints (size, root_hash, time_seconds, note) VALUES (?, ?, ?, ?)")
                .params(size, root, seconds, note).update();
        return new StoredCheckpoint(size, root, Instant.ofEpochSecond(seconds), note);
    }
}
