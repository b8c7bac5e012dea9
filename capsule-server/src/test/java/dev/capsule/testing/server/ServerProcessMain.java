package dev.capsule.testing.server;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real server in a process of its own, started from the test classpath by {@link ServerProcess}:
 * {@code capsule serve}'s flags, then (first start only) a fixture file {@value #FIXTURES_PROPERTY} with
 * two signed-in operators' session headers (a platform admin and a security officer, made as
 * {@link SignedInOperators} makes them), the audit checkpoint public key and the TLS fingerprint, so a
 * test in another process can drive the server over HTTPS.
 */
public final class ServerProcessMain {
    public static final String FIXTURES_PROPERTY = "capsule.test.fixtures";

    private ServerProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        start(args);
    }

    /** Starts the server, writes the fixture file on the first start, and answers the running server's context. */
    public static ConfigurableApplicationContext start(String[] args) throws IOException {
        ServeOptions.Valid options = (ServeOptions.Valid) ServeOptions.parse(args);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CapsuleServer.class).run(options.springArguments());
        Path fixtures = Path.of(System.getProperty(FIXTURES_PROPERTY));
        if (Files.exists(fixtures)) {
            return context;
        }
        TestHttps https = new TestHttps(context.getBean(ServerPorts.class), context.getBean(ServerCertificate.class));
        SignedInOperators operators = new SignedInOperators(context, https);
        Properties properties = new Properties();
        properties.setProperty("admin", String.join("\t", operators.signIn("crash-admin", Role.PLATFORM_ADMIN).headers()));
        properties.setProperty("officer", String.join("\t", operators.signIn("crash-officer", Role.SECURITY_OFFICER).headers()));
        properties.setProperty("auditKey", context.getBean(PlatformSigner.class).primary(SigningPurpose.AUDIT_CHECKPOINT).key().toPem());
        properties.setProperty("tlsFingerprint", context.getBean(ServerCertificate.class).fingerprint());
        Path partial = fixtures.resolveSibling(fixtures.getFileName() + ".new");
        try (Writer out = Files.newBufferedWriter(partial)) {
            properties.store(out, "test fixtures of a server process");
        }
        Files.move(partial, fixtures);
        return context;
    }
}
