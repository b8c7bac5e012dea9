package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The real default setup, started twice through the serve flags: embedded PostgreSQL in a fresh
 * data directory, the development certificate generated on first start; the second start keeps the
 * database, the migrations and the certificate.
 */
class ServerRestartTest {

    @Test
    void restartOnTheSameDataDirectoryKeepsDatabaseAndCertificate() throws Exception {
        Path dataDir = TestDirectories.create("capsule-restart").resolve("data");
        String[] args = {"--data-dir", dataDir.toString(), "--port", "0", "--http-port", "0"};

        String fingerprint;
        UUID installation;
        try (ConfigurableApplicationContext first = start(args)) {
            assertThat(new TestHttps(first.getBean(ServerPorts.class), first.getBean(ServerCertificate.class))
                    .get("/api/v1/health").statusCode()).isEqualTo(200);
            fingerprint = first.getBean(ServerCertificate.class).fingerprint();
            installation = jdbc(first).sql("SELECT installation_id FROM server_installation").query(UUID.class).single();
            assertThat(firstStart(first)).isTrue();
            jdbc(first).sql("CREATE TABLE restart_probe (value text)").update();
            jdbc(first).sql("INSERT INTO restart_probe VALUES ('kept')").update();
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        Path key = dataDir.resolve("tls/dev-private-key.pem");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        try (ConfigurableApplicationContext second = start(args)) {
            assertThat(second.getBean(ServerCertificate.class).fingerprint()).isEqualTo(fingerprint);
            assertThat(firstStart(second)).isFalse();
            JdbcClient jdbc = jdbc(second);
            assertThat(jdbc.sql("SELECT installation_id FROM server_installation").query(UUID.class).single()).isEqualTo(installation);
            assertThat(jdbc.sql("SELECT value FROM restart_probe").query(String.class).single()).isEqualTo("kept");
            assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")
                    .query(Integer.class).single()).isEqualTo(1);
            assertThat(new TestHttps(second.getBean(ServerPorts.class), second.getBean(ServerCertificate.class))
                    .get("/api/v1/health").statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String[] args) {
        ServeOptions.Valid options = (ServeOptions.Valid) ServeOptions.parse(args);
        return new SpringApplicationBuilder(CapsuleServer.class).run(options.springArguments());
    }

    private static JdbcClient jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class);
    }

    private static boolean firstStart(ConfigurableApplicationContext context) {
        return context.getBean(dev.capsule.server.platform.internal.StartupReport.class).firstStart();
    }
}
