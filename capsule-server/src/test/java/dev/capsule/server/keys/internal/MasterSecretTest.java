package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master secret's sources and checks. */
class MasterSecretTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void configuredSecretDerivesStableKeysAndNeverShowsItself(@TempDir Path dir) {
        MasterSecret secret = MasterSecret.load(KEY, dir);
        assertThat(secret.derive("s", "i", 32)).isEqualTo(MasterSecret.load(KEY, dir).derive("s", "i", 32))
                .isNotEqualTo(secret.derive("s", "other", 32));
        assertThat(secret.toString()).doesNotContain(KEY).contains("redacted");
        assertThat(secret.generated()).isFalse();
        assertThat(Files.exists(dir.resolve(MasterSecret.KEY_FILE))).isFalse();
    }

    @Test
    void configuredSecretMustBeBase64Of32Bytes(@TempDir Path dir) {
        assertThatThrownBy(() -> MasterSecret.load("not base64!", dir)).hasMessageContaining("not base64");
        assertThatThrownBy(() -> MasterSecret.load(Base64.getEncoder().encodeToString(new byte[16]), dir))
                .hasMessageContaining("must be 32 bytes");
    }

    @Test
    void missingSecretIsGeneratedOwnerOnlyOnceAndReused(@TempDir Path dir) throws Exception {
        MasterSecret first = MasterSecret.load("", dir);
        assertThat(first.generated()).isTrue();
        Path file = dir.resolve(MasterSecret.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        MasterSecret again = MasterSecret.load(null, dir);
        assertThat(again.generated()).isFalse();
        assertThat(again.derive("s", "i", 32)).isEqualTo(first.derive("s", "i", 32));
    }

    @Test
    void secretFileReadableByOthersIsRefused(@TempDir Path dir) throws Exception {
        MasterSecret.load("", dir);
        Files.setPosixFilePermissions(dir.resolve(MasterSecret.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterSecret.load("", dir)).hasMessageContaining("chmod 600");
    }
}
