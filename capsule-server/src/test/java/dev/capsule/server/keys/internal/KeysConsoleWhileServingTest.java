package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.testing.server.TestDirectories;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code capsule keys} beside a running server on the embedded database: it connects to the server's
 * PostgreSQL (port and password from the data directory) instead of refusing because the directory is
 * locked, and after the server stops it starts the database itself as before.
 */
class KeysConsoleWhileServingTest {

    @Test
    void listAndStatusWorkWhileTheServerRunsAndAfterItStops() throws Exception {
        Path dataDir = TestDirectories.create("keys-serving").resolve("data");
        String[] serve = {"--data-dir", dataDir.toString(), "--port", "0"};
        String rotation;
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(CapsuleServer.class)
                .run(((ServeOptions.Valid) ServeOptions.parse(serve)).springArguments())) {
            KeysConsoleTest.Result list = KeysConsoleTest.run("list", "--data-dir", dataDir.toString());
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.err()).isEmpty();
            assertThat(list.out()).startsWith("PURPOSE").contains("operator-secrets");

            KeysConsoleTest.Result unknown = KeysConsoleTest.run("status", UUID.randomUUID().toString(), "--data-dir", dataDir.toString());
            assertThat(unknown.exit()).isEqualTo(KeysConsole.EXIT_FAILED);
            assertThat(unknown.err()).startsWith("capsule keys: no rotation ");

            // A rotation is a write through the same database, as beside an external PostgreSQL: a signing key's finishes at once.
            KeysConsoleTest.Result rotate = KeysConsoleTest.run("rotate", "audit-checkpoint", "--data-dir", dataDir.toString());
            assertThat(rotate.exit()).as(rotate.err()).isZero();
            rotation = rotate.out().split(" ", 3)[1].replace(":", "");
            KeysConsoleTest.Result status = KeysConsoleTest.run("status", rotation, "--data-dir", dataDir.toString());
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("rotation " + rotation + " of audit-checkpoint: done");
            // The server itself is still up on the same database.
            assertThat(server.isActive()).isTrue();
        }
        KeysConsoleTest.Result stopped = KeysConsoleTest.run("status", rotation, "--data-dir", dataDir.toString());
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("rotation " + rotation + " of audit-checkpoint: done");
    }
}
