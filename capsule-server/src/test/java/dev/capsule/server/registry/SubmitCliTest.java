package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.CapsuleCli;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code capsule submit FILE.capsule --url URL} (run in-process through {@link CapsuleCli#run}) against the real
 * server over HTTPS with the certificate pinned: one line and exit 0 when stored; one line naming the rule and
 * exit 1 when refused; exit 2 without an API key (which is never taken from the command line).
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class SubmitCliTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServerCertificate certificate;

    RegistryFixture.Developer developer;
    Path dir;
    Path keyFile;

    @BeforeEach
    void setUp() throws IOException {
        TestAdvisories.imported(jdbc);
        developer = new RegistryFixture(https, context).developer();
        dir = TestDirectories.create("capsule-submit");
        keyFile = dir.resolve("api-key");
        Files.writeString(keyFile, developer.token() + "\n");
    }

    @Test
    void aSignedPackageIsSubmittedWithOneLineAndExitZero() throws IOException {
        Path pkg = write("todo.capsule", RegistryFixture.signed(developer, "1.0.0"));

        Result result = run("submit", pkg.toString(), "--url", url(), "--api-key-file", keyFile.toString(),
                "--tls-fingerprint", certificate.fingerprint());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().strip()).matches("submitted " + developer.appId().replace(".", "\\.")
                + " 1\\.0\\.0 as [0-9a-f-]{36}: in-review, 0 critical finding\\(s\\)");
        assertThat(result.err()).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM registry_version WHERE app_id = ?").param(developer.appId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aRefusedUploadPrintsOneLineNamingTheRuleAndExitsOne() throws IOException {
        Path pkg = write("foreign.capsule", RegistryFixture.signed(SigningKey.generate(), developer.appId(), "1.0.0", Map.of()));

        Result result = run("submit", pkg.toString(), "--url", url(), "--api-key-file", keyFile.toString(),
                "--tls-fingerprint", certificate.fingerprint());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("capsule submit: refused (package-not-developer-signed): ")
                .doesNotContain("\n").doesNotContain(developer.token());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutAnApiKeyNothingIsSentAndTheExitIsTwo() throws IOException {
        Path pkg = write("todo.capsule", RegistryFixture.signed(developer, "1.0.0"));

        Result result = run("submit", pkg.toString(), "--url", url(), "--tls-fingerprint", certificate.fingerprint());

        assertThat(result.exit()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip()).contains("needs an API key").doesNotContain("\n");
        assertThat(jdbc.sql("SELECT count(*) FROM registry_version WHERE app_id = ?").param(developer.appId())
                .query(Long.class).single()).isZero();
    }

    @Test
    void anUnpinnedSelfSignedServerIsRefusedWithOneLine() throws IOException {
        Path pkg = write("todo.capsule", RegistryFixture.signed(developer, "1.0.0"));
        Result result = run("submit", pkg.toString(), "--url", url(), "--api-key-file", keyFile.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().strip()).contains("TLS failed").doesNotContain("\n");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private String url() {
        return https.uri("/").toString().replaceAll("/$", "");
    }

    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CapsuleCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }
}
