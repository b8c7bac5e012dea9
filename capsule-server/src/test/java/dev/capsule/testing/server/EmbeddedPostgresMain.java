package dev.capsule.testing.server;

import dev.capsule.server.platform.internal.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The server's embedded database alone in a process of its own (no Spring), for tests that kill the
 * process holding it: starts it on the directory in {@code args[0]}, writes one row, prints
 * {@value #READY} and waits to be killed.
 */
public final class EmbeddedPostgresMain {
    public static final String READY = "embedded database ready";

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws SQLException, InterruptedException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
        Properties login = new Properties();
        login.setProperty("user", server.user());
        login.setProperty("password", server.password());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), login);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS orphan_probe (value text)");
            statement.execute("INSERT INTO orphan_probe VALUES ('kept')");
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
