package dev.capsule.testing.server;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two server nodes (two application contexts, each with its own ports and data directory) on one
 * fresh database of {@link SharedPostgres}: the shape of a scaled-out deployment.
 */
public final class TwoNodes implements AutoCloseable {
    private final Node first;
    private final Node second;

    private TwoNodes(Node first, Node second) {
        this.first = first;
        this.second = second;
    }

    /** Starts both nodes on a new database (the second after the first, as a rolling start would). */
    public static TwoNodes start(Class<?>... extraConfiguration) {
        String database = SharedPostgres.newDatabase();
        // One master key for both, as a real deployment must have (the keys module opens the installation's keystore with it).
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String masterKey = java.util.Base64.getEncoder().encodeToString(key);
        Node first = Node.start(database, masterKey, extraConfiguration);
        try {
            return new TwoNodes(first, Node.start(database, masterKey, extraConfiguration));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    public Node first() {
        return first;
    }

    public Node second() {
        return second;
    }

    @Override
    public void close() {
        try {
            second.close();
        } finally {
            first.close();
        }
    }

    /** One running node. */
    public record Node(ConfigurableApplicationContext context, TestHttps https) implements AutoCloseable {
        public static Node start(String databaseUrl, String masterKey, Class<?>... extraConfiguration) {
            try {
                Class<?>[] sources = new Class<?>[extraConfiguration.length + 1];
                sources[0] = CapsuleServer.class;
                System.arraycopy(extraConfiguration, 0, sources, 1, extraConfiguration.length);
                ConfigurableApplicationContext context = new SpringApplicationBuilder(sources).run(
                        "--capsule.db.url=" + databaseUrl,
                        "--capsule.data-dir=" + TestDirectories.create("capsule-node"),
                        "--server.port=0",
                        "--capsule.http-port=0",
                        "--capsule.master-key=" + masterKey);
                return new Node(context, new TestHttps(context.getBean(ServerPorts.class), context.getBean(ServerCertificate.class)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public JdbcClient jdbc() {
            return context.getBean(JdbcClient.class);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
