package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.EmbeddedCluster;
import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.testing.server.EmbeddedPostgresMain;
import dev.capsule.testing.server.ServerProcess;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The server's own embedded PostgreSQL: durable settings, password authentication, refused data directories. */
class EmbeddedDatabaseTest {

    @Test
    void serverDatabaseIsDurableAndNeedsItsPassword() throws Exception {
        Path dataDir = TestDirectories.create("capsule-embedded").resolve("data");
        String[] args = {"--data-dir", dataDir.toString(), "--port", "0"};
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(CapsuleServer.class)
                .run(((ServeOptions.Valid) ServeOptions.parse(args)).springArguments())) {
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(show(jdbc, "fsync")).isEqualTo("on");
            assertThat(show(jdbc, "synchronous_commit")).isEqualTo("on");
            assertThat(show(jdbc, "full_page_writes")).isEqualTo("on");
            assertThat(show(jdbc, "password_encryption")).isEqualTo("scram-sha-256");
            assertThat(show(jdbc, "server_version_num")).startsWith(String.valueOf(EmbeddedPostgresServer.MAJOR_VERSION));

            EmbeddedCluster cluster = new EmbeddedCluster(dataDir.resolve("postgres"));
            assertThat(cluster.passwordFile()).isEqualTo(dataDir.resolve("postgres.password"));
            assertThat(Files.getPosixFilePermissions(cluster.passwordFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(cluster.passwordFile()).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(43);
            int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip());
            String url = "jdbc:postgresql://localhost:" + port + "/capsule";

            // Trust is gone: no password and a wrong one are both refused; the file's password gets in.
            assertThatThrownBy(() -> connect(url, null)).isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> connect(url, password + "x")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = connect(url, password)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
        // The tests' throw-away database is the one place that runs without durability.
        JdbcClient testDatabase = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(SharedPostgres.newDatabase()));
        assertThat(show(testDatabase, "fsync")).isEqualTo("off");
        assertThat(show(testDatabase, "synchronous_commit")).isEqualTo("off");
    }

    @Test
    void olderMajorVersionIsRefusedInOneLineThatSaysHowToUpgrade() throws Exception {
        Path root = TestDirectories.create("capsule-pg14");
        Path dataDir = root.resolve("data");
        Path cluster = dataDir.resolve("postgres");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("PG_VERSION"), "14\n");
        Files.writeString(cluster.resolve("postgresql.conf"), "# made by PostgreSQL 14\n");

        try (ServerProcess server = ServerProcess.launch(CapsuleServer.class, root.resolve("serve.log"), List.of(),
                "--data-dir", dataDir.toString(), "--port", "0")) {
            assertThat(server.awaitExit()).isEqualTo(ServeCommand.EXIT_FAILED);
            String output = server.output();
            assertThat(output.lines().filter(line -> line.startsWith("capsule serve:")).toList()).containsExactly(
                    "capsule serve: the server did not start: the embedded database in " + cluster + " was made by PostgreSQL 14 "
                    + "and this server runs PostgreSQL 18: upgrade it first (dump it with the Capsule version that made it, "
                    + "restore into a new data directory; or pg_upgrade), or start with another --data-dir "
                    + "(docs/server.md, \"Upgrading the embedded database\")");
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
        }
        // Refused before anything ran on it: no initdb, no postmaster, nothing rewritten.
        assertThat(Files.readString(cluster.resolve("PG_VERSION"))).isEqualTo("14\n");
        assertThat(cluster.resolve("postmaster.pid")).doesNotExist();
        assertThat(dataDir.resolve("postgres.password")).doesNotExist();
    }

    /** A server killed with SIGKILL leaves its PostgreSQL running; the next start stops it and goes on. */
    @Test
    void postgresLeftRunningByAKilledServerIsStoppedAtTheNextStart() throws Exception {
        Path root = TestDirectories.create("capsule-orphan");
        Path cluster = root.resolve("data/postgres");
        long orphan;
        try (ServerProcess holder = ServerProcess.launch(EmbeddedPostgresMain.class, root.resolve("holder.log"), List.of(), cluster.toString())) {
            holder.awaitOutput(EmbeddedPostgresMain.READY);
            orphan = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).getFirst().strip());
            holder.kill();
        }
        assertThat(ProcessHandle.of(orphan)).as("the killed holder's PostgreSQL still runs").isPresent();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(cluster)) {
            assertThat(ProcessHandle.of(orphan)).as("the orphan was stopped").isEmpty();
            try (Connection connection = connect(server.jdbcUrl(), server.password());
                 Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT value FROM orphan_probe")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
        }
    }

    @Test
    void clusterWithoutPasswordFileIsRefused() throws Exception {
        Path cluster = TestDirectories.create("capsule-trust").resolve("postgres");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("PG_VERSION"), EmbeddedPostgresServer.MAJOR_VERSION + "\n");
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(cluster))
                .isInstanceOf(EmbeddedCluster.Refused.class)
                .hasMessageContaining("has no password file " + cluster.resolveSibling("postgres.password"))
                .hasMessageContaining("trusted every local connection");
    }

    @Test
    void passwordFileReadableByOthersIsRefused() throws Exception {
        Path cluster = TestDirectories.create("capsule-open-password").resolve("postgres");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("PG_VERSION"), EmbeddedPostgresServer.MAJOR_VERSION + "\n");
        Path password = cluster.resolveSibling("postgres.password");
        Files.writeString(password, "secret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(cluster))
                .isInstanceOf(EmbeddedCluster.Refused.class)
                .hasMessageContaining("is readable by others (rw-r--r--): chmod 600 it");
    }

    private static String show(JdbcClient jdbc, String setting) {
        return jdbc.sql("SHOW " + setting).query(String.class).single();
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        if (password != null) {
            login.setProperty("password", password);
        }
        return DriverManager.getConnection(url, login);
    }
}
