package dev.capsule.testing.server;

import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM, shared by every Spring test context; each context gets its
 * own fresh database. Started on first use, stopped when the JVM exits.
 */
public final class SharedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private SharedPostgres() {
    }

    private static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            try {
                Path directory = TestDirectories.create("capsule-test-postgres");
                server = EmbeddedPostgresServer.start(directory.resolve("postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "capsule-test-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database; returns its JDBC URL. */
    public static String newDatabase() {
        String name = "capsule_test_" + DATABASES.incrementAndGet();
        server().createDatabase(name);
        return server().jdbcUrl(name);
    }
}
