package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.internal.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void regionsBecomeResidencyProperties() {
        var parsed = ServeOptions.parse(new String[] {"--region", "eu-west", "--region-db", "sg=jdbc:postgresql://sg.db/capsule?sslmode=verify-full",
            "--region-db=us=embedded", "--db-url", "jdbc:postgresql://eu.db/capsule"});
        assertThat(parsed).isInstanceOf(ServeOptions.Valid.class);
        assertThat(((ServeOptions.Valid) parsed).arguments()).containsExactlyInAnyOrder(
                "--capsule.region=eu-west", "--capsule.regions.sg.url=jdbc:postgresql://sg.db/capsule?sslmode=verify-full",
                "--capsule.regions.us.url=embedded", "--capsule.db.url=jdbc:postgresql://eu.db/capsule");
        assertThat(ServeOptions.USAGE).contains("--region NAME").contains("--region-db NAME=URL");
    }

    @Test
    void refusesBadRegionsWithOneClearLine() {
        assertInvalid("--region-db sg given twice (one database per region)", "--region-db", "sg=embedded", "--region-db",
                "sg=jdbc:postgresql://sg.db/capsule");
        assertInvalid("--region given twice", "--region", "eu", "--region", "us");
        assertInvalid("--region-db takes NAME=URL (eu=jdbc:postgresql://... or eu=embedded)", "--region-db", "embedded");
        assertInvalid("--region-db takes NAME=URL (eu=jdbc:postgresql://... or eu=embedded)", "--region-db", "=embedded");
        assertInvalid("--region-db: 'EU' is not a region's name (lower-case letters and digits in words joined by hyphens, at most 32 "
                + "characters: eu-west)", "--region-db", "EU=embedded");
        assertInvalid("--region must be a region's name (lower-case letters and digits in words joined by hyphens, at most 32 "
                + "characters: eu-west), not 'eu_west'", "--region", "eu_west");
        // Never echoes credentials the URL carries.
        assertInvalid("--region-db sg= must be a jdbc:postgresql:// URL or embedded, not 'mysql://sg.db/x'", "--region-db",
                "sg=mysql://alice:secret@sg.db/x?password=secret");
        assertInvalid("--region-db local names the home region, whose database is --db-url or the embedded one", "--region-db",
                "local=embedded");
        assertInvalid("--region-db eu names the home region, whose database is --db-url or the embedded one", "--region", "eu",
                "--region-db", "eu=embedded");
        assertInvalid("--region-db needs a value", "--region-db");
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

    @Test
    void serveDevTurnsOnDemoUsersAndTakesNoValue() {
        assertThat(ServeOptions.parse(new String[] {"--dev"})).isEqualTo(new ServeOptions.Valid(List.of("--capsule.host.demo-users=true")));
        assertThat(ServeOptions.parse(new String[0])).isEqualTo(new ServeOptions.Valid(List.of()));
        assertInvalid("--dev takes no value", "--dev=false");
        assertInvalid("--dev given twice", "--dev", "--dev");
    }

    @Test
    void devPreviewsADirectoryOnLoopbackWithDemoUsersInProcessAndItsOwnDataDirectory(@TempDir Path dir) {
        var parsed = ServeOptions.parseDev(new String[] {dir.toString(), "--port", "0"});
        assertThat(parsed).isInstanceOf(ServeOptions.Valid.class);
        assertThat(((ServeOptions.Valid) parsed).arguments()).containsExactly(
                "--capsule.host.preview-directory=" + dir.toAbsolutePath().normalize(),
                "--capsule.host.demo-users=true",
                "--capsule.host.isolation=in-process",
                "--server.address=127.0.0.1",
                "--capsule.http-port=off",
                "--server.port=0",
                "--capsule.data-dir=./capsule-dev-data");
        var own = (ServeOptions.Valid) ServeOptions.parseDev(new String[] {"--data-dir", "/tmp/d", dir.toString()});
        assertThat(own.arguments()).contains("--capsule.data-dir=/tmp/d").doesNotContain("--capsule.data-dir=./capsule-dev-data");
    }

    @Test
    void devRefusesAMissingDirectoryAndServeOnlyFlags(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("app.js"), "");
        assertDevInvalid("the directory to preview is missing: capsule dev DIR");
        assertDevInvalid("the directory to preview is missing: capsule dev DIR", "--port", "1");
        assertDevInvalid(file.toAbsolutePath() + " is not a directory", file.toString());
        assertDevInvalid(dir.resolve("absent").toAbsolutePath() + " is not a directory", dir.resolve("absent").toString());
        assertDevInvalid("unknown argument 'b' (one directory at a time)", dir.toString(), "b");
        // What would widen the preview's reach is not a dev flag: another database, a public certificate, a redirect port.
        assertDevInvalid("unknown option '--db-url'", dir.toString(), "--db-url", "jdbc:postgresql://db/x");
        assertDevInvalid("unknown option '--http-port'", dir.toString(), "--http-port", "8080");
        assertDevInvalid("unknown option '--tls-cert'", dir.toString(), "--tls-cert", "c.pem");
        assertDevInvalid("unknown option '--dev'", dir.toString(), "--dev");
        assertDevInvalid("unknown option '--region-db'", dir.toString(), "--region-db", "eu=embedded");
        assertDevInvalid("unknown option '--region'", dir.toString(), "--region", "eu");
        assertDevInvalid("--port must be a port number from 0 to 65535, not 'x'", dir.toString(), "--port", "x");
        assertThat(ServeOptions.parseDev(new String[] {"--help"})).isInstanceOf(ServeOptions.Help.class);
    }

    @Test
    void devUsageErrorsSayDev(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ServeCommand.dev(Object.class, new String[] {"--help"}, outStream, errStream)).isEqualTo(ServeCommand.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: capsule dev DIR");
        assertThat(ServeCommand.dev(Object.class, new String[0], outStream, errStream)).isEqualTo(ServeCommand.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("capsule dev: the directory to preview is missing: capsule dev DIR (see capsule dev --help)");
    }

    private static void assertInvalid(String message, String... args) {
        assertThat(ServeOptions.parse(args)).isEqualTo(new ServeOptions.Invalid(message));
    }

    private static void assertDevInvalid(String message, String... args) {
        assertThat(ServeOptions.parseDev(args)).isEqualTo(new ServeOptions.Invalid(message));
    }
}
