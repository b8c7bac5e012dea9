package dev.capsule.server.platform.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: an external PostgreSQL when {@code capsule.db.url} is set, else the embedded one in
 * {@code <data-dir>/postgres}. Either way one bounded connection pool.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {
    /** Connections per server node; several nodes share one PostgreSQL, so keep this modest. */
    static final int POOL_CONNECTIONS_MAX = 10;
    static final long CONNECTION_TIMEOUT_MILLIS_MAX = 10_000;

    /** Where the database is; the embedded server (if any) lives as long as the application context. */
    @Bean(destroyMethod = "close")
    DatabaseLocation databaseLocation(CapsuleSettings settings) {
        if (settings.db().external()) {
            return new DatabaseLocation(Optional.empty(), settings.db().url());
        }
        EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start(settings.dataDir().resolve("postgres"));
        return new DatabaseLocation(Optional.of(embedded), embedded.jdbcUrl());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseLocation location, CapsuleSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location.jdbcUrl());
        if (location.embedded().isEmpty()) {
            if (settings.db().user() != null) {
                config.setUsername(settings.db().user());
            }
            if (settings.db().password() != null) {
                config.setPassword(settings.db().password());
            }
        }
        config.setPoolName("capsule");
        config.setMaximumPoolSize(POOL_CONNECTIONS_MAX);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS_MAX);
        return new HikariDataSource(config);
    }

    /** @param embedded the embedded server, when that is where the data is */
    record DatabaseLocation(Optional<EmbeddedPostgresServer> embedded, String jdbcUrl) implements AutoCloseable {
        String describe() {
            return embedded.map(e -> "embedded PostgreSQL in " + e.dataDirectory())
                    .orElseGet(() -> "PostgreSQL at " + JdbcUrls.redact(jdbcUrl));
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
