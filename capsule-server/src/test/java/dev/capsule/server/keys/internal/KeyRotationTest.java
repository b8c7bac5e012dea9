package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSignature;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.KeyEventRecorder;
import dev.capsule.testing.server.SealedTestValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rotation of data and signing keys: re-wrap in the background, retirement only when nothing uses the old key. */
@CapsuleServerTest
@Import({SealedTestValues.class, KeyEventRecorder.class})
class KeyRotationTest {
    private static final int VALUES = 1_500;
    private static final Duration FINISH_MAX = Duration.ofSeconds(90);

    @Autowired KeyRotations rotations;
    @Autowired FieldEncryption fields;
    @Autowired SubjectKeys subjects;
    @Autowired PlatformSigner signer;
    @Autowired JdbcClient jdbc;
    @Autowired KeyEventRecorder events;

    @Test
    void rotationDuringConcurrentReadsAndWritesGivesZeroFailedDecrypts() throws Exception {
        jdbc.sql("DELETE FROM test_sealed_values").update();
        for (int id = 0; id < VALUES; id++) {
            byte[] plain = ("value " + id).getBytes(StandardCharsets.UTF_8);
            jdbc.sql("INSERT INTO test_sealed_values (id, sealed, plain) VALUES (:id, :s, :p)").param("id", id)
                    .param("s", fields.seal(DataPurpose.OPERATOR_SECRETS, plain, SealedTestValues.place(id))).param("p", plain).update();
        }
        byte[] oldCiphertext = jdbc.sql("SELECT sealed FROM test_sealed_values WHERE id = 0").query(byte[].class).single();
        int oldKey = FieldEncryption.keyIdOf(oldCiphertext);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<String> failureDetails = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    int id = ThreadLocalRandom.current().nextInt(VALUES);
                    Row row = read(id);
                    try {
                        byte[] opened = fields.open(DataPurpose.OPERATOR_SECRETS, row.sealed(), SealedTestValues.place(id));
                        if (!java.util.Arrays.equals(opened, row.plain())) {
                            failures.incrementAndGet();
                            failureDetails.add("wrong plaintext for " + id);
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        failureDetails.add(id + ": " + e);
                    }
                    reads.incrementAndGet();
                }
            }));
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    // Writers keep to the first half: the second half is only ever re-encrypted by the rotation,
                    // so it must do that work however fast the writers are (on a loaded machine they once
                    // rewrote every row before the re-wrap job got to one).
                    int id = ThreadLocalRandom.current().nextInt(VALUES / 2);
                    byte[] plain = ("rewritten " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
                    jdbc.sql("UPDATE test_sealed_values SET sealed = :s, plain = :p WHERE id = :id")
                            .param("s", fields.seal(DataPurpose.OPERATOR_SECRETS, plain, SealedTestValues.place(id)))
                            .param("p", plain).param("id", id).update();
                    writes.incrementAndGet();
                }
            }));
        }
        Thread.sleep(300);
        RotationStatus started = rotations.start(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), null);
        assertThat(started.state()).isEqualTo("rewrapping");
        assertThat(started.oldKeyId()).isEqualTo(String.format("%08x", oldKey));
        assertThatThrownBy(() -> rotations.start(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), null))
                .isInstanceOf(ProblemException.class).hasMessageContaining("still running");

        RotationStatus finished = awaitFinished(started.id());
        Thread.sleep(300);
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(failureDetails).isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(writes.get()).isGreaterThan(100);
        assertThat(finished.state()).isEqualTo("done");
        assertThat(finished.remaining()).isZero();
        assertThat(finished.resealed()).as("the rows no writer touched were re-encrypted by the rotation").isGreaterThanOrEqualTo(VALUES / 2);
        assertThat(jdbc.sql("SELECT count(*) FROM test_sealed_values WHERE substring(sealed FROM 1 FOR 5) = :p")
                .param("p", FieldEncryption.prefixOf(oldKey)).query(Long.class).single()).isZero();
        assertThat(status(DataPurpose.OPERATOR_SECRETS.code(), started.oldKeyId())).isEqualTo("retired");
        assertThat(status(DataPurpose.OPERATOR_SECRETS.code(), started.newKeyId())).isEqualTo("primary");
        // The retired key is disabled: what it made no longer opens.
        assertThatThrownBy(() -> fields.open(DataPurpose.OPERATOR_SECRETS, oldCiphertext, SealedTestValues.place(0)))
                .isInstanceOf(SealedValueException.class);

        rotations.destroy(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), started.oldKeyId(), null);
        assertThat(status(DataPurpose.OPERATOR_SECRETS.code(), started.oldKeyId())).isEqualTo("destroyed");
        assertThatThrownBy(() -> rotations.destroy(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), started.newKeyId(), null))
                .isInstanceOf(ProblemException.class).hasMessageContaining("only a key retired");
        assertThatThrownBy(() -> rotations.destroy(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), "00000000", null))
                .isInstanceOf(ProblemException.class).hasMessageContaining("no key 00000000");
        // Each lifecycle step was published once, with its key.
        assertThat(events.of("operator-secrets")).extracting(KeyEvent::kind, KeyEvent::keyId).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple(KeyEvent.Kind.ROTATE, started.newKeyId()),
                org.assertj.core.groups.Tuple.tuple(KeyEvent.Kind.RETIRE, started.oldKeyId()),
                org.assertj.core.groups.Tuple.tuple(KeyEvent.Kind.DESTROY, started.oldKeyId()));
    }

    @Test
    void subjectKeysAreRewrappedAndStillOpen() throws Exception {
        UUID subject = UUID.randomUUID();
        FieldPlace place = new FieldPlace("platform", "audit-log", "1", "details");
        byte[] sealed = subjects.seal(subject, "alice@example.org".getBytes(StandardCharsets.UTF_8), place);
        long before = wrappingKey(subject);

        RotationStatus finished = awaitFinished(rotations.start(KeyPurpose.of(DataPurpose.SUBJECT_DATA), null).id());

        assertThat(finished.state()).isEqualTo("done");
        assertThat(wrappingKey(subject)).isNotEqualTo(before);
        assertThat(subjects.open(subject, sealed, place)).hasValueSatisfying(
                plain -> assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("alice@example.org"));
    }

    @Test
    void signingRotationKeepsTheOldPublicKeyPublished() {
        byte[] message = "countersign me".getBytes(StandardCharsets.UTF_8);
        PlatformSignature before = signer.sign(SigningPurpose.REVOCATION_LIST, message);

        RotationStatus rotation = rotations.start(KeyPurpose.of(SigningPurpose.REVOCATION_LIST), null);

        assertThat(rotation.state()).isEqualTo("done");
        PlatformSignature after = signer.sign(SigningPurpose.REVOCATION_LIST, message);
        assertThat(after.key()).isNotEqualTo(before.key());
        assertThat(after.key().verify(message, after.signature())).isTrue();
        List<PlatformPublicKey> published = signer.publicKeys(SigningPurpose.REVOCATION_LIST);
        assertThat(published).extracting(PlatformPublicKey::key).containsExactly(after.key(), before.key());
        assertThat(published).extracting(PlatformPublicKey::primary).containsExactly(true, false);
        assertThat(rotation.oldKeyId()).isEqualTo(before.key().keyId().hex());
    }

    @Test
    void aJobLeftByACrashedNodeIsTakenOverWhenItsLeaseRunsOut() throws Exception {
        jdbc.sql("DELETE FROM test_sealed_values").update();
        for (int id = 0; id < 50; id++) {
            byte[] plain = new byte[] {(byte) id};
            jdbc.sql("INSERT INTO test_sealed_values (id, sealed, plain) VALUES (:id, :s, :p)").param("id", id)
                    .param("s", fields.seal(DataPurpose.OPERATOR_SECRETS, plain, SealedTestValues.place(id))).param("p", plain).update();
        }
        // A node claims the job and dies at once: its lease is held for a few more seconds.
        RotationStatus started = jdbcClaimAsDeadNode(rotations.start(KeyPurpose.of(DataPurpose.OPERATOR_SECRETS), null));
        Thread.sleep(1_500);
        assertThat(rotations.status(started.id()).orElseThrow().resealed()).as("nobody touches a leased job").isZero();

        RotationStatus finished = awaitFinished(started.id());

        assertThat(finished.state()).isEqualTo("done");
        assertThat(finished.resealed()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void unknownPurposesAreRefusedNamingTheValidOnes() {
        assertThatThrownBy(() -> KeyRotations.purpose("tls"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("operator-secrets").hasMessageContaining("audit-checkpoint");
    }

    private RotationStatus jdbcClaimAsDeadNode(RotationStatus started) {
        jdbc.sql("UPDATE keys_rotations SET lease_owner = 'dead-node', lease_until = now() + interval '4 seconds' WHERE id = :id")
                .param("id", started.id()).update();
        return started;
    }

    private RotationStatus awaitFinished(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            RotationStatus status = rotations.status(id).orElseThrow();
            if (status.finished()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rotation " + id + " did not finish within " + FINISH_MAX + ": " + rotations.status(id));
    }

    private String status(String purpose, String keyId) {
        return jdbc.sql("SELECT status FROM keys_inventory WHERE purpose = :p AND key_id = :k").param("p", purpose).param("k", keyId)
                .query(String.class).single();
    }

    private long wrappingKey(UUID subject) {
        return jdbc.sql("SELECT wrapping_key_id FROM keys_subject_keys WHERE subject = :s").param("s", subject).query(Long.class).single();
    }

    private Row read(int id) {
        return jdbc.sql("SELECT sealed, plain FROM test_sealed_values WHERE id = :id").param("id", id)
                .query((rs, n) -> new Row(rs.getBytes(1), rs.getBytes(2))).single();
    }

    private record Row(byte[] sealed, byte[] plain) {
    }
}
