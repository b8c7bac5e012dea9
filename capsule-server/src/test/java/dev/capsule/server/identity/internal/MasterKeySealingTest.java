package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master key's sources and checks, and the throttle's backoff curve. */
class MasterKeySealingTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void sealedSecretOpensOnlyWithTheSameKeyAndContext(@TempDir Path dir) {
        MasterKeySealing sealing = MasterKeySealing.load(KEY, dir);
        byte[] sealed = sealing.seal("secret".getBytes(StandardCharsets.UTF_8), "operator-a");
        assertThat(new String(sealing.open(sealed, "operator-a"), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThatThrownBy(() -> sealing.open(sealed, "operator-b")).isInstanceOf(IllegalStateException.class);
        MasterKeySealing other = MasterKeySealing.load(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), dir);
        assertThatThrownBy(() -> other.open(sealed, "operator-a")).isInstanceOf(IllegalStateException.class);
        assertThat(sealing.toString()).doesNotContain(KEY);
    }

    @Test
    void configuredKeyMustBeBase64Of32Bytes(@TempDir Path dir) {
        assertThatThrownBy(() -> MasterKeySealing.load("not base64!", dir)).hasMessageContaining("not base64");
        assertThatThrownBy(() -> MasterKeySealing.load(Base64.getEncoder().encodeToString(new byte[16]), dir))
                .hasMessageContaining("must be 32 bytes");
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        MasterKeySealing first = MasterKeySealing.load("", dir);
        Path file = dir.resolve(MasterKeySealing.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] sealed = first.seal(new byte[] {42}, "c");
        assertThat(MasterKeySealing.load(null, dir).open(sealed, "c")).containsExactly(42);
    }

    @Test
    void keyFileReadableByOthersIsRefused(@TempDir Path dir) throws Exception {
        MasterKeySealing.load("", dir);
        Path file = dir.resolve(MasterKeySealing.KEY_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKeySealing.load("", dir)).hasMessageContaining("chmod 600");
    }

    @Test
    void backoffDoublesFromOneSecondToTheCap() {
        assertThat(SignInThrottle.blockFor(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SignInThrottle.blockFor(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SignInThrottle.blockFor(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(SignInThrottle.blockFor(10)).isEqualTo(Duration.ofSeconds(SignInThrottle.BLOCK_SECONDS_MAX));
        assertThat(SignInThrottle.blockFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(SignInThrottle.BLOCK_SECONDS_MAX));
    }
}
