package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.CapsuleServer;
import dev.capsule.server.platform.internal.CapsuleSettings;
import dev.capsule.server.platform.internal.ServeOptions;
import dev.capsule.testing.server.ServerProcess;
import dev.capsule.testing.server.TestDirectories;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.TestHttps;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.junit.jupiter.api.Test;

/** Which ports serve binds, and the one line it prints when one of them is taken. */
class ServePortsTest {

    @Test
    void portAloneBindsNoSecondPort() throws Exception {
        String[] args = {"--port", "0", "--data-dir", TestDirectories.create("capsule-one-port").resolve("data").toString()};
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(CapsuleServer.class)
                .run(((ServeOptions.Valid) ServeOptions.parse(args)).springArguments())) {
            ServerPorts ports = server.getBean(ServerPorts.class);
            assertThat(ports.https()).isPositive();
            assertThat(ports.http()).as("redirect port").isEqualTo(-1);
            assertThat(new TestHttps(ports, server.getBean(ServerCertificate.class)).get("/api/v1/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void redirectPortFlag() {
        assertThat(((ServeOptions.Valid) ServeOptions.parse(new String[] {"--port", "9443"})).arguments())
                .containsExactly("--server.port=9443");
        assertThat(((ServeOptions.Valid) ServeOptions.parse(new String[] {"--port", "9443", "--http-port", "9080"})).arguments())
                .containsExactlyInAnyOrder("--server.port=9443", "--capsule.http-port=9080");
        assertThat(((ServeOptions.Valid) ServeOptions.parse(new String[] {"--http-port", "off"})).arguments())
                .containsExactly("--capsule.http-port=off");
        assertThat(ServeOptions.parse(new String[] {"--http-port", "none"}))
                .isEqualTo(new ServeOptions.Invalid("--http-port must be a port number from 0 to 65535 or off, not 'none'"));
    }

    @Test
    void redirectPortIs8080OnlyBesideTheDefaultHttpsPort() {
        assertThat(settings("auto").redirectPort(8443)).isEqualTo(OptionalInt.of(8080));
        assertThat(settings("auto").redirectPort(9443)).isEmpty();
        assertThat(settings("off").redirectPort(8443)).isEmpty();
        assertThat(settings("9080").redirectPort(9443)).isEqualTo(OptionalInt.of(9080));
        assertThat(settings("0").redirectPort(0)).isEqualTo(OptionalInt.of(0));
    }

    @Test
    void busyPortIsOneLineNamingTheFlagWithoutAStackTrace() throws Exception {
        Path root = TestDirectories.create("capsule-busy");
        String dataDir = root.resolve("data").toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();
            assertFailsWith(root.resolve("https.log"), "capsule serve: the server did not start: port " + port
                    + " (HTTPS) is in use by another program: stop it, or choose another port with --port N",
                    "--data-dir", dataDir, "--port", String.valueOf(port));
            assertFailsWith(root.resolve("http.log"), "capsule serve: the server did not start: port " + port
                    + " (the HTTP redirect) is in use by another program: stop it, choose another port with --http-port N, "
                    + "or go without the redirect with --http-port off",
                    "--data-dir", dataDir, "--port", "0", "--http-port", String.valueOf(port));
        }
    }

    private static void assertFailsWith(Path log, String line, String... args) throws InterruptedException {
        try (ServerProcess server = ServerProcess.launch(CapsuleServer.class, log, List.of(), args)) {
            assertThat(server.awaitExit()).as(server.output()).isEqualTo(ServeCommand.EXIT_FAILED);
            String output = server.output();
            assertThat(output.lines().filter(l -> l.startsWith("capsule serve:")).toList()).as(output).containsExactly(line);
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("APPLICATION FAILED TO START");
        }
    }

    private static CapsuleSettings settings(String httpPort) {
        return new CapsuleSettings(Path.of("/tmp/unused"), httpPort, new CapsuleSettings.Db(null, null, null),
                new CapsuleSettings.Tls(null, null));
    }
}
