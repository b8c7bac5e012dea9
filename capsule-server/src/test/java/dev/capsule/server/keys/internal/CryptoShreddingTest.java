package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.TableRewrites;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.DatabaseFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Crypto-shredding, checked on the raw database: after a subject is erased and the module's
 * compaction, a VACUUM and a CHECKPOINT have run, no file of the database (tables, indexes, free space
 * maps; the write-ahead log excepted, see docs/keys.md) holds the subject's wrapped key, and no
 * SQL-visible row does; what was sealed no longer opens. The same scan finds the wrapped key before
 * the erasure, so it is able to find it.
 */
@CapsuleServerTest
class CryptoShreddingTest {
    private static final FieldPlace PLACE = new FieldPlace("platform", "test-shred", "1", "details");

    @Autowired SubjectKeys subjects;
    @Autowired TableRewrites rewrites;
    @Autowired JdbcClient jdbc;

    @Test
    void erasedSubjectKeyLeavesNothingRecoverableInTheDatabaseFiles() throws IOException {
        // Another subject's key (made first, so the erased row is the page's last
        // tuple, whose bytes a plain VACUUM leaves in free space) stays and keeps working.
        UUID other = UUID.randomUUID();
        byte[] otherSealed = subjects.seal(other, new byte[] {7}, PLACE);
        UUID subject = UUID.randomUUID();
        byte[] plaintext = ("plaintext-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = subjects.seal(subject, plaintext, PLACE);
        jdbc.sql("CREATE TABLE IF NOT EXISTS test_shredded_values (subject uuid PRIMARY KEY, sealed bytea NOT NULL)").update();
        jdbc.sql("INSERT INTO test_shredded_values (subject, sealed) VALUES (:s, :v)").param("s", subject).param("v", sealed).update();
        byte[] wrapped = jdbc.sql("SELECT wrapped FROM keys_subject_keys WHERE subject = :s").param("s", subject)
                .query(byte[].class).single();
        Path database = DatabaseFiles.directory(jdbc);
        jdbc.sql("CHECKPOINT").update();
        assertThat(DatabaseFiles.holding(database, wrapped)).as("the scan finds the wrapped key while it exists").isNotEmpty();

        subjects.erase(subject);
        rewrites.runNow();
        jdbc.sql("VACUUM keys_subject_keys").update();
        jdbc.sql("CHECKPOINT").update();

        assertThat(DatabaseFiles.holding(database, wrapped)).as("database files holding the erased subject's wrapped key").isEmpty();
        assertThat(DatabaseFiles.holding(database, plaintext)).as("database files holding the plaintext").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM keys_subject_keys WHERE subject = :s OR position(:w IN wrapped) > 0")
                .param("s", subject).param("w", wrapped).query(Long.class).single()).isZero();
        assertThat(subjects.open(subject, sealed, PLACE)).isEmpty();
        assertThat(subjects.open(other, otherSealed, PLACE)).hasValueSatisfying(value -> assertThat(value).containsExactly(7));
    }
}
