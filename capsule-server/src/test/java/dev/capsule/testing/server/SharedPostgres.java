package dev.capsule.testing.server;

import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import dev.capsule.server.platform.internal.EmbeddedPostgresServer.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.util.FileSystemUtils;

/**
 * One embedded PostgreSQL per test JVM, shared by every Spring test context; each context gets its
 * own fresh database. Started on first use, stopped when the JVM exits, after the application contexts.
 */
public final class SharedPostgres {
    /**
     * The one place a database runs without durability: the tests' throw-away one, whose data nobody
     * needs after a crash (fsync, synchronous_commit and full_page_writes off make the suite fast). The
     * server's own embedded database always runs with {@link Durability#DURABLE}.
     */
    public static final Durability THROW_AWAY = new Durability(false, false, false);

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private SharedPostgres() {
    }

    private static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            Path directory;
            try {
                directory = TestDirectories.create("capsule-test-postgres");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = EmbeddedPostgresServer.start(directory.resolve("postgres"), THROW_AWAY);
            // Stopped after Spring Boot's shutdown hook has closed every application context, not beside it: JVM
            // hooks run concurrently, and contexts closing against a stopped database waited for connections until
            // Surefire killed the fork (30 s after exit), leaving this directory and Playwright's behind in /tmp.
            EmbeddedPostgresServer started = server;
            SpringApplication.getShutdownHandlers().add(() -> {
                started.close();
                try {
                    FileSystemUtils.deleteRecursively(directory);
                } catch (IOException e) {
                    System.err.println("could not delete the test database's directory " + directory + ": " + e.getMessage());
                }
            });
        }
        return server;
    }

    /**
     * A new, empty database; returns its JDBC URL, which carries the user and password (the test
     * database's, so tests can pass the URL alone to --db-url, a data source or a node).
     */
    public static String newDatabase() {
        String name = "capsule_test_" + DATABASES.incrementAndGet();
        server().createDatabase(name);
        return server().jdbcUrl(name) + "?user=" + server().user() + "&password="
                + URLEncoder.encode(server().password(), StandardCharsets.UTF_8);
    }
}
