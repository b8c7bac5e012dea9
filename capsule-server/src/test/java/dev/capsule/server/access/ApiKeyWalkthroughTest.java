package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * docs/api-keys.md's walk-through is true: its shell block, taken from the file as it is, runs with bash
 * (curl, jq, python3) against a real server on a fresh database and ends with an approved
 * {@code audit.read} key that reads the signed checkpoint. Fails, rather than skips, without those tools.
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.admin-password=" + ApiKeyWalkthroughTest.ADMIN_PASSWORD)
class ApiKeyWalkthroughTest {
    static final String ADMIN_PASSWORD = "walk through the docs 42";
    private static final Pattern BLOCK = Pattern.compile("<!-- BEGIN WALKTHROUGH -->\n```sh\n(.*?)```\n<!-- END WALKTHROUGH -->",
            Pattern.DOTALL);

    @Autowired TestHttps https;
    @Autowired ServerCertificate certificate;
    @Autowired JdbcClient jdbc;

    @Test
    void theDocumentedCallsMakeAWorkingAuditReadKey(@TempDir Path work) throws IOException, InterruptedException {
        String document = Files.readString(Path.of(System.getProperty("capsule.repo.root", "..")).resolve("docs/api-keys.md"));
        Matcher block = BLOCK.matcher(document);
        assertThat(block.find()).as("docs/api-keys.md has the walk-through block").isTrue();
        Path script = work.resolve("walkthrough.sh");
        Files.writeString(script, "set -euo pipefail\n" + block.group(1));
        ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(work.toFile()).redirectErrorStream(true);
        bash.environment().put("CAPSULE", https.uri("").toString());
        bash.environment().put("CERT", certificate.certificatePem().toString());
        bash.environment().put("ADMIN_OTP", ADMIN_PASSWORD);
        Process run = bash.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();

        String[] lines = output.strip().split("\n");
        assertThat(lines[0]).as(output).isEqualTo("active");
        assertThat(output).as("the key read the signed checkpoint").contains("\n— capsule.local/audit/");
        assertThat(Files.readString(work.resolve("admin-recovery-codes.json"))).contains("recoveryCodes");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").startsWith("api-key.")))
                .extracting(e -> AuditEvents.text(e, "type")).containsExactly("api-key.create", "api-key.approve");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")))
                .as("the documented calls are all allowed").isEmpty();
    }
}
