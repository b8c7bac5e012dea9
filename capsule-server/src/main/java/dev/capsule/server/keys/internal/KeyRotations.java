package dev.capsule.server.keys.internal;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import dev.capsule.server.keys.CiphertextHolder;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.security.GeneralSecurityException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rotation and retirement of platform keys. {@link #start} makes a new primary key (the old one
 * keeps working); for a data purpose it also records a re-wrap job that {@link RotationWorker} runs:
 * every {@link CiphertextHolder} of the purpose re-encrypts, {@value #BATCH_SIZE} values at a time,
 * what the old key made; once they all count none left, and no sooner than the grace period after
 * the start (every node has seen the new primary by then), the old key is disabled ("retired").
 * Signing keys are never disabled by a rotation: the old public key stays published.
 * {@link #destroy} deletes a retired data key from its key set for good.
 *
 * <p>Security guarantees: a key is retired only after a count of zero taken after the grace period;
 * every change is one transaction with its {@link KeyEvent}; one rotation per purpose runs at a time.
 */
@Component
class KeyRotations {
    /** Values re-encrypted per transaction. */
    static final int BATCH_SIZE = 200;
    /** Batches one worker turn runs before it records progress and lets others in. */
    static final int BATCHES_PER_TURN_MAX = 25;
    /** How long a node's claim on a job lasts without renewal; a crashed node's job is taken over after it. */
    static final int LEASE_SECONDS = 30;
    /** Default grace before the old key may be retired: several times the key set refresh interval. */
    static final int RETIRE_GRACE_SECONDS_DEFAULT = 10;
    /** Rotations listed at most. */
    static final int LIST_ROWS_MAX = 100;

    static final ProblemType UNKNOWN_PURPOSE = new ProblemType("unknown-key-purpose", org.springframework.http.HttpStatus.NOT_FOUND,
            "No such key purpose");
    static final ProblemType ROTATION_RUNNING = new ProblemType("key-rotation-running", org.springframework.http.HttpStatus.CONFLICT,
            "A rotation of these keys is still running");
    static final ProblemType KEY_NOT_RETIRED = new ProblemType("key-not-retired", org.springframework.http.HttpStatus.CONFLICT,
            "Only a retired key can be destroyed");

    private final Keysets keysets;
    private final JdbcClient jdbc;
    private final KeyEventPublisher events;
    private final ObjectProvider<CiphertextHolder> holders;
    private final int retireGraceSeconds;

    KeyRotations(Keysets keysets, JdbcClient jdbc, KeyEventPublisher events, ObjectProvider<CiphertextHolder> holders,
            @Value("${capsule.keys.retire-grace-seconds:" + RETIRE_GRACE_SECONDS_DEFAULT + "}") int retireGraceSeconds) {
        if (retireGraceSeconds < Keysets.REFRESH_MILLIS / 1000 * 2) {
            throw new IllegalArgumentException("capsule.keys.retire-grace-seconds must be at least twice the key set refresh "
                    + "interval (" + Keysets.REFRESH_MILLIS / 1000 * 2 + " s)");
        }
        this.keysets = keysets;
        this.jdbc = jdbc;
        this.events = events;
        this.holders = holders;
        this.retireGraceSeconds = retireGraceSeconds;
    }

    /** The purpose named {@code code}, or a 404 problem naming the valid codes. */
    static KeyPurpose purpose(String code) {
        return KeyPurpose.fromCode(code).orElseThrow(() -> new ProblemException(UNKNOWN_PURPOSE,
                "no key purpose '" + code + "'; one of: " + KeyPurpose.codes()));
    }

    /** Makes a new primary key for the purpose and, for data keys, starts the re-wrap job. */
    RotationStatus start(KeyPurpose purpose, OperatorId actor) {
        UUID id = UUID.randomUUID();
        if (running(purpose).isPresent()) {
            throw new ProblemException(ROTATION_RUNNING, "a rotation of the " + purpose.code() + " keys is still running ("
                    + running(purpose).get() + "); wait for it to finish");
        }
        try {
            keysets.change(purpose, KeyRotations::addPrimary, (before, after) -> {
                KeysetHandle.Entry old = before.getPrimary();
                KeysetHandle.Entry made = after.getPrimary();
                keysets.recordStatus(purpose, old.getId(), "enabled");
                keysets.recordKey(purpose, made, "primary");
                boolean rewrap = purpose instanceof KeyPurpose.Data;
                jdbc.sql("""
                        INSERT INTO keys_rotations (id, purpose, old_key, new_key, state, started_at, retire_after, finished_at, actor)
                        VALUES (:id, :p, :old, :new, :state, now(), now() + make_interval(secs => :grace),
                                CASE WHEN :state = 'done' THEN now() END, :actor)""")
                        .param("id", id).param("p", purpose.code()).param("old", Integer.toUnsignedLong(old.getId()))
                        .param("new", Integer.toUnsignedLong(made.getId())).param("state", rewrap ? "rewrapping" : "done")
                        .param("grace", retireGraceSeconds).param("actor", actor == null ? null : actor.value()).update();
                events.publish(KeyEvent.of(KeyEvent.Kind.ROTATE, purpose.code(), Keysets.keyIdOf(purpose, made), actor));
            });
        } catch (DuplicateKeyException raced) {
            throw new ProblemException(ROTATION_RUNNING, "a rotation of the " + purpose.code() + " keys is still running; wait for it to finish");
        }
        return status(id).orElseThrow();
    }

    Optional<RotationStatus> status(UUID id) {
        return jdbc.sql(SELECT + " WHERE r.id = :id").param("id", id).query(KeyRotations::row).optional();
    }

    List<RotationStatus> recent() {
        return jdbc.sql(SELECT + " ORDER BY r.started_at DESC LIMIT " + LIST_ROWS_MAX).query(KeyRotations::row).list();
    }

    /** Deletes a retired data key from its key set: what it protected can never be decrypted again. */
    void destroy(KeyPurpose purpose, String keyId, OperatorId actor) {
        Map<String, Object> row = jdbc.sql("SELECT tink_id, status FROM keys_inventory WHERE purpose = :p AND key_id = :k")
                .param("p", purpose.code()).param("k", keyId).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no key " + keyId + " of " + purpose.code()
                        + " (see capsule keys list)"));
        if (!"retired".equals(row.get("status"))) {
            throw new ProblemException(KEY_NOT_RETIRED, "key " + keyId + " of " + purpose.code() + " is " + row.get("status")
                    + "; only a key retired by a finished rotation can be destroyed");
        }
        int tinkId = (int) ((Number) row.get("tink_id")).longValue();
        keysets.change(purpose, handle -> delete(handle, tinkId), (before, after) -> {
            keysets.recordStatus(purpose, tinkId, "destroyed");
            events.publish(KeyEvent.of(KeyEvent.Kind.DESTROY, purpose.code(), keyId, actor));
        });
    }

    /** The holders of a data purpose's ciphertexts. */
    List<CiphertextHolder> holders(KeyPurpose purpose) {
        if (!(purpose instanceof KeyPurpose.Data data)) {
            return List.of();
        }
        return holders.orderedStream().filter(holder -> holder.purpose() == data.purpose()).toList();
    }

    /** Makes this node seal with the purpose's newest primary before it re-encrypts anything (its cache may lag). */
    void prepare(KeyPurpose purpose) {
        keysets.fresh(purpose);
    }

    /** Disables the old key of a finished re-wrap; in the transaction that marks the job done. */
    void retire(KeyPurpose purpose, UUID rotation, int oldKey) {
        keysets.change(purpose, handle -> disable(handle, oldKey), (before, after) -> {
            keysets.recordStatus(purpose, oldKey, "retired");
            jdbc.sql("UPDATE keys_rotations SET state = 'done', remaining = 0, finished_at = now(), lease_owner = NULL, "
                    + "lease_until = NULL WHERE id = :id").param("id", rotation).update();
            events.publish(KeyEvent.of(KeyEvent.Kind.RETIRE, purpose.code(), HexFormat.of().toHexDigits(oldKey), null));
        });
    }

    private Optional<UUID> running(KeyPurpose purpose) {
        return jdbc.sql("SELECT id FROM keys_rotations WHERE purpose = :p AND state = 'rewrapping'").param("p", purpose.code())
                .query(UUID.class).optional();
    }

    private static KeysetHandle addPrimary(KeysetHandle handle) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(handle.getPrimary().getKey().getParameters())
                    .withRandomId().makePrimary());
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not add a new primary key", e);
        }
    }

    private static KeysetHandle disable(KeysetHandle handle, int keyId) {
        return rebuild(handle, keyId, false);
    }

    private static KeysetHandle delete(KeysetHandle handle, int keyId) {
        return rebuild(handle, keyId, true);
    }

    private static KeysetHandle rebuild(KeysetHandle handle, int keyId, boolean delete) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            for (int i = 0; i < handle.size(); i++) {
                if (handle.getAt(i).getId() == keyId) {
                    if (handle.getAt(i).isPrimary()) {
                        throw new IllegalStateException("the primary key cannot be retired or destroyed");
                    }
                    if (delete) {
                        builder.deleteAt(i);
                    } else {
                        builder.getAt(i).setStatus(KeyStatus.DISABLED);
                    }
                    return builder.build();
                }
            }
            throw new IllegalStateException("key " + HexFormat.of().toHexDigits(keyId) + " is not in the key set");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not change the key set", e);
        }
    }

    private static final String SELECT = """
            SELECT r.id, r.purpose, o.key_id AS old_key_id, n.key_id AS new_key_id, r.state, r.resealed, r.remaining,
                   r.started_at, r.finished_at, r.error
            FROM keys_rotations r
            JOIN keys_inventory o ON o.purpose = r.purpose AND o.tink_id = r.old_key
            JOIN keys_inventory n ON n.purpose = r.purpose AND n.tink_id = r.new_key""";

    private static RotationStatus row(ResultSet rs, int n) throws SQLException {
        // Read as an object: null until a worker has counted (getLong + wasNull would need wasNull right after it).
        Long remaining = rs.getObject("remaining", Long.class);
        return new RotationStatus(rs.getObject("id", UUID.class), rs.getString("purpose"), rs.getString("old_key_id"),
                rs.getString("new_key_id"), rs.getString("state"), rs.getLong("resealed"), remaining,
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")), rs.getString("error"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
