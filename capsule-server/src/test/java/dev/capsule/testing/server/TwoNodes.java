package dev.capsule.testing.server;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tomcat.util.net.openssl.ciphers.OpenSSLCipherConfigurationParser;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
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

    /**
     * Lets one node at a time through Spring Boot's logging set-up. Logging is global to the JVM: two nodes
     * starting together would each reset Logback and add its console appender, so every line would be
     * printed twice (and a test counting printed lines would see doubles). Only this phase is serialised:
     * the rest of the start (the database, the admin bootstrap) still races as on two real machines.
     */
    private static final class LoggingSetUpTurn implements ApplicationListener<SpringApplicationEvent>, Ordered {
        private static final Semaphore TURN = new Semaphore(1);
        private final AtomicBoolean holding = new AtomicBoolean();

        @Override
        public void onApplicationEvent(SpringApplicationEvent event) {
            switch (event) {
                case ApplicationStartingEvent starting -> {
                    TURN.acquireUninterruptibly();
                    holding.set(true);
                }
                case ApplicationContextInitializedEvent initialized -> release();
                case ApplicationFailedEvent failed -> release();
                default -> { }
            }
        }

        private void release() {
            if (holding.compareAndSet(true, false)) {
                TURN.release();
            }
        }

        @Override
        public int getOrder() {
            // Before Spring Boot's logging listener on "starting", so the turn covers its whole set-up.
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /**
     * Tomcat fills its static OpenSSL cipher-name tables on the first TLS connector's start, without a lock
     * ({@code OpenSSLCipherConfigurationParser.init}); two connectors starting together in one JVM can both
     * fill them and one fails ("Protocol handler start failed"). A server process starts one connector, so
     * this only concerns nodes sharing a test JVM: the tables are filled once, here, before any node starts.
     */
    private static final class TomcatCipherTables {
        static {
            OpenSSLCipherConfigurationParser.parse("HIGH");
        }

        static void ready() {
            // Running the static initialiser (once, under the JVM's class-initialisation lock) is the work.
        }
    }

    /** One running node. */
    public record Node(ConfigurableApplicationContext context, TestHttps https) implements AutoCloseable {
        public static Node start(String databaseUrl, String masterKey, Class<?>... extraConfiguration) {
            TomcatCipherTables.ready();
            try {
                Class<?>[] sources = new Class<?>[extraConfiguration.length + 1];
                sources[0] = CapsuleServer.class;
                System.arraycopy(extraConfiguration, 0, sources, 1, extraConfiguration.length);
                ConfigurableApplicationContext context = new SpringApplicationBuilder(sources).listeners(new LoggingSetUpTurn()).run(
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
