package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.internal.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServeOptionsTest {

    @Test
    void flagsBecomeSpringProperties() {
        var parsed = ServeOptions.parse(new String[] {"--port", "9443", "--data-dir=/srv/capsule", "--db-url", "jdbc:postgresql://db/capsule",
            "--http-port", "0", "--log-format", "json", "--tls-cert", "c.pem", "--tls-key", "k.pem"});
        assertThat(parsed).isInstanceOf(ServeOptions.Valid.class);
        assertThat(((ServeOptions.Valid) parsed).arguments()).containsExactlyInAnyOrder(
                "--server.port=9443", "--capsule.data-dir=/srv/capsule", "--capsule.db.url=jdbc:postgresql://db/capsule",
                "--capsule.http-port=0", "--logging.structured.format.console=ecs",
                "--capsule.tls.certificate=c.pem", "--capsule.tls.private-key=k.pem");
    }

    @Test
    void noFlagsMeansDefaults() {
        assertThat(ServeOptions.parse(new String[0])).isEqualTo(new ServeOptions.Valid(java.util.List.of()));
    }

    @Test
    void rejectsBadInputWithOneClearLine() {
        assertInvalid("unknown option '--prot'", "--prot", "1");
        assertInvalid("unknown argument 'extra'", "extra");
        assertInvalid("--port must be a port number from 0 to 65535, not '70000'", "--port", "70000");
        assertInvalid("--port must be a port number from 0 to 65535, not '-1'", "--port=-1");
        assertInvalid("--port needs a value", "--port");
        assertInvalid("--port given twice", "--port", "1", "--port", "2");
        assertInvalid("--log-format must be text or json, not 'xml'", "--log-format", "xml");
        assertInvalid("--tls-cert and --tls-key go together", "--tls-cert", "c.pem");
        assertInvalid("--data-dir must not be empty", "--data-dir=");
    }

    @Test
    void helpAndUsageErrorsExitWithoutStarting() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ServeCommand.run(Object.class, new String[] {"--help"}, outStream, errStream)).isEqualTo(ServeCommand.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: capsule serve");
        assertThat(ServeCommand.run(Object.class, new String[] {"--nope"}, outStream, errStream)).isEqualTo(ServeCommand.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("capsule serve: unknown option '--nope' (see capsule serve --help)");
    }

    private static void assertInvalid(String message, String... args) {
        assertThat(ServeOptions.parse(args)).isEqualTo(new ServeOptions.Invalid(message));
    }
}
