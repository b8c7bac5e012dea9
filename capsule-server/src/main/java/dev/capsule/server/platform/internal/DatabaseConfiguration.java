package dev.capsule.server.platform.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.capsule.server.platform.ServerConsole;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: an external PostgreSQL when {@code capsule.db.url} is set, else the embedded one in
 * {@code <data-dir>/postgres}. Either way one bounded connection pool. A console command
 * ({@code capsule keys ...}) whose embedded database a running server has open connects to that
 * server's PostgreSQL (port from its {@code postmaster.pid}, password from the password file) instead
 * of starting its own: it is then one more client of the database, as beside an external one.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {
    /** Connections per server node; several nodes share one PostgreSQL, so keep this modest. */
    static final int POOL_CONNECTIONS_MAX = 10;
    static final long CONNECTION_TIMEOUT_MILLIS_MAX = 10_000;

    private static final Logger log = LoggerFactory.getLogger("capsule");

    /** Where the database is; the embedded server (if any) lives as long as the application context. */
    @Bean(destroyMethod = "close")
    DatabaseLocation databaseLocation(CapsuleSettings settings,
            @Value("${" + ServerConsole.CONSOLE_PROPERTY + ":false}") boolean console) {
        if (settings.db().external()) {
            String url = settings.db().url();
            plaintextWarning(url, "--db-url", DatabaseConfiguration::isLoopback).ifPresent(log::warn);
            return new DatabaseLocation(Optional.empty(), url, settings.db().user(), settings.db().password(), Optional.empty());
        }
        return embedded(settings.dataDir().resolve("postgres"), console);
    }

    /**
     * The embedded PostgreSQL on {@code directory}: started by this context, or, for a console whose server has it
     * running, that server's (one more client of it).
     */
    static DatabaseLocation embedded(java.nio.file.Path directory, boolean console) {
        EmbeddedCluster cluster = new EmbeddedCluster(directory);
        if (console) {
            Optional<EmbeddedCluster.Running> running = cluster.running();
            if (running.isPresent()) {
                return new DatabaseLocation(Optional.empty(), EmbeddedCluster.jdbcUrl(running.get().port(), EmbeddedPostgresServer.DATABASE),
                        EmbeddedCluster.SUPERUSER, running.get().password(), Optional.of(cluster));
            }
        }
        EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start(cluster.directory());
        return new DatabaseLocation(Optional.of(embedded), embedded.jdbcUrl(), embedded.user(), embedded.password(), Optional.empty());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseLocation location) {
        return pool(location, "capsule", POOL_CONNECTIONS_MAX);
    }

    /** A bounded connection pool to {@code location} (the home database's, a region's). */
    static HikariDataSource pool(DatabaseLocation location, String name, int connectionsMax) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location.jdbcUrl());
        if (location.user() != null) {
            config.setUsername(location.user());
        }
        if (location.password() != null) {
            config.setPassword(location.password());
        }
        config.setPoolName(name);
        config.setMaximumPoolSize(connectionsMax);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS_MAX);
        return new HikariDataSource(config);
    }

    /**
     * The start-up warning for an external database reached over the network without TLS: a host that is
     * not loopback and no {@code sslmode} that makes the driver insist on TLS.
     */
    static Optional<String> plaintextWarning(String url, java.util.function.Predicate<String> isLoopback) {
        return plaintextWarning(url, "--db-url", isLoopback);
    }

    /** {@link #plaintextWarning(String, java.util.function.Predicate)} for the URL of {@code flag} (--db-url, --region-db). */
    static Optional<String> plaintextWarning(String url, String flag, java.util.function.Predicate<String> isLoopback) {
        if (JdbcUrls.tlsRequired(url) || JdbcUrls.loopback(url, isLoopback)) {
            return Optional.empty();
        }
        return Optional.of("The database at " + JdbcUrls.redact(url) + " is reached without TLS: add sslmode=verify-full "
                + "(or sslmode=require) to " + flag + ", or its traffic, password included, can be read and changed on the way "
                + "(docs/server.md)");
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param embedded the embedded server this context started, when that is where the data is
     * @param user     who connects; null: the URL's or the driver's default
     * @param password its password (never printed: {@link #toString()} redacts it)
     * @param attached the embedded data directory of a running server this console connects to
     */
    record DatabaseLocation(Optional<EmbeddedPostgresServer> embedded, String jdbcUrl, String user, String password,
            Optional<EmbeddedCluster> attached) implements AutoCloseable {
        String describe() {
            return embedded.map(e -> "embedded PostgreSQL " + EmbeddedPostgresServer.MAJOR_VERSION + " in " + e.dataDirectory())
                    .or(() -> attached.map(c -> "the running server's embedded PostgreSQL in " + c.directory()))
                    .orElseGet(() -> "PostgreSQL at " + JdbcUrls.redact(jdbcUrl));
        }

        /**
         * Where the data lives, for residency (exports, the console, the region tag's refusal): "embedded PostgreSQL 18 in
         * DIR" or "PostgreSQL at HOST:PORT/DATABASE"; never credentials or parameters.
         */
        String location() {
            return embedded.map(EmbeddedPostgresServer::dataDirectory).or(() -> attached.map(EmbeddedCluster::directory))
                    .map(directory -> "embedded PostgreSQL " + EmbeddedPostgresServer.MAJOR_VERSION + " in " + directory)
                    .orElseGet(() -> "PostgreSQL at " + JdbcUrls.location(jdbcUrl));
        }

        @Override
        public void close() {
            embedded.ifPresent(EmbeddedPostgresServer::close);
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
