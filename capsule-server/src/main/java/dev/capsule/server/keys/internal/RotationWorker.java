package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.CiphertextHolder;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.capsule.server.platform.ServerConsole;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs re-wrap jobs on every node: each turn claims one unfinished job whose lease is free (or its
 * own), with {@code FOR UPDATE SKIP LOCKED} so two nodes never take the same one, re-encrypts up to
 * {@value KeyRotations#BATCHES_PER_TURN_MAX} batches, records progress and renews the lease. A node
 * that crashes mid-job leaves its lease to run out; another node (or the same one restarted) goes
 * on from what is still under the old key, which is the job's cursor: nothing is redone or skipped.
 * As a bean it runs on server nodes only. The {@code capsule keys} console builds its own that
 * re-encrypts (with every {@link CiphertextHolder} component, found by type) but never retires: retiring
 * is left to a server node, whose own count over its holders is the final word, so a holder the console
 * might lack can never lose its values.
 */
@Component
@ConditionalOnProperty(name = ServerConsole.CONSOLE_PROPERTY, havingValue = "false", matchIfMissing = true)
class RotationWorker {
    /** How often a node looks for work. */
    static final long POLL_MILLIS = 1_000;
    /** Turns one poll runs at most (each bounded by {@link KeyRotations#BATCHES_PER_TURN_MAX}). */
    static final int TURNS_PER_POLL_MAX = 100;
    private static final Logger log = LoggerFactory.getLogger(RotationWorker.class);

    private final KeyRotations rotations;
    private final JdbcClient jdbc;
    private final boolean retires;
    private final String node = UUID.randomUUID().toString();

    @Autowired
    RotationWorker(KeyRotations rotations, JdbcClient jdbc) {
        this(rotations, jdbc, true);
    }

    /** A worker that re-encrypts; with {@code retires} false it leaves the retirement to a server node. */
    RotationWorker(KeyRotations rotations, JdbcClient jdbc, boolean retires) {
        this.rotations = rotations;
        this.jdbc = jdbc;
        this.retires = retires;
    }

    private record Job(UUID id, KeyPurpose purpose, int oldKey, boolean mayRetire) {
    }

    @Scheduled(initialDelay = POLL_MILLIS, fixedDelay = POLL_MILLIS)
    void poll() {
        try {
            for (int turns = 0; turns < TURNS_PER_POLL_MAX && turn(); turns++) {
                // Keep going while turns make progress; each is bounded.
            }
        } catch (RuntimeException e) {
            log.warn("key rotation worker: {}", e.getMessage());
        }
    }

    /** Runs one bounded turn of one job; false when it re-encrypted nothing (no job, or only locked rows left). */
    boolean turn() {
        Optional<Job> claimed = claim();
        if (claimed.isEmpty()) {
            return false;
        }
        Job job = claimed.get();
        try {
            rotations.prepare(job.purpose());
            List<CiphertextHolder> holders = rotations.holders(job.purpose());
            long resealed = 0;
            int batches = 0;
            boolean more = true;
            while (more && batches < KeyRotations.BATCHES_PER_TURN_MAX) {
                more = false;
                for (CiphertextHolder holder : holders) {
                    int changed = holder.resealBatch(job.oldKey(), KeyRotations.BATCH_SIZE);
                    resealed += changed;
                    more |= changed > 0;
                    batches++;
                }
            }
            long remaining = 0;
            for (CiphertextHolder holder : holders) {
                remaining += holder.countUnder(job.oldKey());
            }
            jdbc.sql("""
                    UPDATE keys_rotations SET resealed = resealed + :n, remaining = :r, lease_until = now() + make_interval(secs => :lease)
                    WHERE id = :id AND lease_owner = :me""")
                    .param("n", resealed).param("r", remaining).param("lease", KeyRotations.LEASE_SECONDS)
                    .param("id", job.id()).param("me", node).update();
            if (remaining == 0 && job.mayRetire() && retires) {
                rotations.retire(job.purpose(), job.id(), job.oldKey());
                log.info("key rotation {} of {} finished: old key retired", job.id(), job.purpose().code());
                return true;
            }
            if (remaining == 0) {
                // Done re-encrypting (waiting out the grace period, or not ours to retire): let a node finish it.
                release(job);
            }
            return resealed > 0;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            jdbc.sql("UPDATE keys_rotations SET state = 'failed', error = :e, finished_at = now(), lease_owner = NULL, lease_until = NULL "
                    + "WHERE id = :id").param("e", message.length() > 500 ? message.substring(0, 500) : message).param("id", job.id()).update();
            log.warn("key rotation {} of {} failed; the old key stays enabled: {}", job.id(), job.purpose().code(), message);
            return false;
        }
    }

    private void release(Job job) {
        jdbc.sql("UPDATE keys_rotations SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :me")
                .param("id", job.id()).param("me", node).update();
    }

    private Optional<Job> claim() {
        return jdbc.sql("""
                UPDATE keys_rotations SET lease_owner = :me, lease_until = now() + make_interval(secs => :lease)
                WHERE id = (SELECT id FROM keys_rotations
                            WHERE state = 'rewrapping' AND (lease_until IS NULL OR lease_until < now() OR lease_owner = :me)
                            ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, purpose, old_key, retire_after <= now() AS may_retire""")
                .param("me", node).param("lease", KeyRotations.LEASE_SECONDS)
                .query((rs, n) -> new Job(rs.getObject(1, UUID.class), KeyRotations.purpose(rs.getString(2)), (int) rs.getLong(3),
                        rs.getBoolean(4)))
                .optional();
    }
}
