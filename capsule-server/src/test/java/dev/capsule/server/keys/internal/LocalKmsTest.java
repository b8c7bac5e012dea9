package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The local KMS: keystore file and database copy, adoption by new nodes, and refusals that name their cause. */
class LocalKmsTest {
    private static final String MASTER = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_MASTER = Base64.getEncoder().encodeToString("another master secret: 32 bytes.".getBytes(StandardCharsets.US_ASCII));

    private static JdbcClient migratedDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SharedPostgres.newDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }

    private static LocalKms open(String master, Path dataDir, JdbcClient jdbc) {
        return LocalKms.open(MasterSecret.load(master, dataDir), dataDir, jdbc);
    }

    @Test
    void firstStartWritesAnOwnerOnlyKeystoreAndTheDatabaseCopy() throws IOException {
        JdbcClient jdbc = migratedDatabase();
        Path dir = TestDirectories.create("kms");
        LocalKms kms = open(MASTER, dir, jdbc);
        Path keystore = dir.resolve(LocalKms.KEYSTORE_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        assertThat(Files.readString(keystore)).contains(LocalKms.FORMAT, kms.kekId());
        assertThat(jdbc.sql("SELECT kek_id FROM keys_root").query(String.class).single()).isEqualTo(kms.kekId());
        assertThat(kms.toString()).doesNotContain(MASTER);
        assertThat(open(MASTER, dir, jdbc).kekId()).as("reopened from the file").isEqualTo(kms.kekId());
    }

    @Test
    void aNodeWithAnEmptyDataDirectoryAdoptsTheInstallationsKek() throws Exception {
        JdbcClient jdbc = migratedDatabase();
        LocalKms first = open(MASTER, TestDirectories.create("kms-a"), jdbc);
        LocalKms second = open(MASTER, TestDirectories.create("kms-b"), jdbc);
        assertThat(second.kekId()).isEqualTo(first.kekId());
        byte[] wrapped = first.keyEncryptionKey().encrypt(new byte[] {1, 2, 3}, new byte[0]);
        assertThat(second.keyEncryptionKey().decrypt(wrapped, new byte[0])).containsExactly(1, 2, 3);
    }

    @Test
    void aNodeWhoseKeystoreHoldsAnotherKekIsRefused() throws IOException {
        JdbcClient installation = migratedDatabase();
        LocalKms kms = open(MASTER, TestDirectories.create("kms-a"), installation);
        Path stranger = TestDirectories.create("kms-stranger");
        open(MASTER, stranger, migratedDatabase());
        assertThatThrownBy(() -> open(MASTER, stranger, installation))
                .hasMessageContaining("is not the installation's (" + kms.kekId() + ")").hasMessageContaining("docs/keys.md");
    }

    @Test
    void aNodeWithAnotherMasterSecretIsRefused() throws IOException {
        JdbcClient jdbc = migratedDatabase();
        open(MASTER, TestDirectories.create("kms-a"), jdbc);
        assertThatThrownBy(() -> open(OTHER_MASTER, TestDirectories.create("kms-b"), jdbc))
                .hasMessageContaining("does not open this installation's keystore").hasMessageNotContaining(OTHER_MASTER);
    }

    @Test
    void aDamagedKeystoreIsRefused() throws IOException {
        JdbcClient jdbc = migratedDatabase();
        Path dir = TestDirectories.create("kms");
        open(MASTER, dir, jdbc);
        Files.writeString(dir.resolve(LocalKms.KEYSTORE_FILE), "{\"format\":\"something else\"}");
        assertThatThrownBy(() -> open(MASTER, dir, jdbc)).hasMessageContaining("is not a capsule-keystore/1 file");
    }

    @Test
    void theKeyEncryptionKeyIsBoundToItsAssociatedData() throws Exception {
        LocalKms kms = open(MASTER, TestDirectories.create("kms"), migratedDatabase());
        byte[] wrapped = kms.keyEncryptionKey().encrypt(new byte[] {9}, "capsule-keyset/1\nsubject-data".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> kms.keyEncryptionKey().decrypt(wrapped, "capsule-keyset/1\npseudonyms".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void vaultAndUnknownBackendsAreRefusedAtStart() throws IOException {
        KeysConfiguration configuration = new KeysConfiguration();
        Path dir = TestDirectories.create("kms");
        assertThatThrownBy(() -> configuration.kms("vault", MASTER, dir, null, false))
                .hasMessage("capsule.kms.backend=vault: this build supports only the local KMS (HashiCorp Vault Transit is not "
                        + "implemented; see docs/keys.md)");
        assertThatThrownBy(() -> configuration.kms("aws", MASTER, dir, null, false)).hasMessageContaining("must be local");
    }
}
