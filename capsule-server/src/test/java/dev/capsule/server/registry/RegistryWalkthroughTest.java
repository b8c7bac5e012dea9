package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.release.ReleaseFormatException;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/registry.md's walk-through is true: its shell block, taken from the file as it is, runs with bash (curl, jq,
 * python3) against a real server on a fresh database and ends as the page says: an OSV import, an organisation with
 * its key and API key, a submitted, reviewed and approved todo example, a release entry in the public log that
 * {@code capsule releases verify} accepts, and a {@code capsule run --from} session that the security officer's kill
 * switch ends with {@code revoked}. Fails, rather than skips, without those tools.
 *
 * <p>{@code capsule} on the script's PATH stands in for the repository's launcher (which builds jars first): the
 * same main classes from this test's class path, the CLI's for CLI commands and the server's for {@code osv}, on
 * the test server's database ({@code CAPSULE_DB_URL}, {@code CAPSULE_DATA_DIR}, the settings serve and its console
 * commands read).
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.admin-password=" + RegistryWalkthroughTest.ADMIN_PASSWORD)
class RegistryWalkthroughTest {
    static final String ADMIN_PASSWORD = "walk the release path 42";
    private static final Pattern BLOCK = Pattern.compile("<!-- BEGIN WALKTHROUGH -->\n```sh\n(.*?)```\n<!-- END WALKTHROUGH -->",
            Pattern.DOTALL);
    /** The whole walk-through on a loaded 2-core machine: a dozen JVM starts, the review, the run and the kill switch. */
    private static final long RUN_SECONDS_MAX = 600;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired TestHttps https;
    @Autowired ServerCertificate certificate;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;

    @Test
    void theDocumentedStepsReleaseTheTodoExampleAndTheKillSwitchStopsItsRun(@TempDir Path work) throws IOException, InterruptedException, ReleaseFormatException {
        Path repo = Path.of(System.getProperty("capsule.repo.root", "..")).toAbsolutePath().normalize();
        Matcher block = BLOCK.matcher(Files.readString(repo.resolve("docs/registry.md")));
        assertThat(block.find()).as("docs/registry.md has the walk-through block").isTrue();
        Path script = work.resolve("walkthrough.sh");
        Files.writeString(script, "set -euo pipefail\n" + block.group(1));
        // The reader runs it from the repository's root; here in a scratch directory with a copy of the example.
        copy(repo.resolve("examples/todo"), work.resolve("examples/todo"));
        Path bin = launcher(work);

        ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(work.toFile()).redirectErrorStream(true);
        bash.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        bash.environment().put("CAPSULE", https.uri("").toString().replaceAll("/$", ""));
        bash.environment().put("CERT", certificate.certificatePem().toString());
        bash.environment().put("ADMIN_OTP", ADMIN_PASSWORD);
        bash.environment().put("CAPSULE_DATA_DIR", environment.getRequiredProperty("capsule.data-dir"));
        bash.environment().put("CAPSULE_DB_URL", environment.getRequiredProperty("capsule.db.url"));
        bash.environment().remove("CAPSULE_API_KEY");
        Path log = work.resolve("walkthrough.out");
        Process run = bash.redirectOutput(log.toFile()).start();
        boolean ended = run.waitFor(RUN_SECONDS_MAX, TimeUnit.SECONDS);
        // A failed step stops the script; the run it started in the background must not outlive it.
        run.descendants().forEach(ProcessHandle::destroy);
        run.destroy();
        String output = Files.readString(log);
        assertThat(ended).as(output).isTrue();
        assertThat(run.exitValue()).as(output).isZero();

        // The release log holds the approved version's release entry (and its rollout), as the page shows.
        List<ReleaseEntry> entries = releaseLog();
        assertThat(entries).first().isInstanceOfSatisfying(ReleaseEntry.Release.class, release -> {
            assertThat(release.appId()).isEqualTo("com.example.todo");
            assertThat(release.version()).isEqualTo("1.0.0");
            assertThat(release.preset().code()).isEqualTo("utility");
        });
        assertThat(entries).last().isInstanceOfSatisfying(ReleaseEntry.Revocation.class,
                revocation -> assertThat(revocation.reason()).isEqualTo("leaks the todo list"));

        // What the page says it prints, in order.
        assertThat(output).as(output)
                .containsSubsequence("imported 1 entries: 1 new", "packed com.example.todo 1.0.0", "active\n",
                        "submitted com.example.todo 1.0.0 as ", "in-review, 0 critical finding(s)", "\"blocking\":false",
                        "approved\n", "\"type\":\"release\"", "\"type\":\"rollout\"", "release log capsule.local/releases/",
                        "verified: 2 entries (1 mini-programs)", "\"type\":\"launch\"", "\"revocationListSequence\"",
                        "capsule run exited with 1\n");
        String last = output.strip().lines().toList().getLast();
        JsonNode exit = JSON.readTree(last);
        assertThat(exit.get("type").asString()).isEqualTo("exit");
        assertThat(exit.get("code").asInt()).isEqualTo(1);
        assertThat(exit.get("reason").asString())
                .isEqualTo("revoked: version 1.0.0 of com.example.todo was revoked by the platform: leaks the todo list");
        assertThat(Files.readString(work.resolve("run.jsonl"))).as("the release was verified and launched before it was revoked")
                .contains("\"verified\":true").contains("\"onReady\"");

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")))
                .as("the documented calls are all allowed").isEmpty();
        List<String> registryAndReleases = List.of("organisation.register", "organisation.verify", "mini-program.register",
                "developer-key.add", "api-key.create", "api-key.approve", "package.submit", "package.approve", "release.publish",
                "release.revoke");
        assertThat(AuditEvents.where(jdbc, e -> registryAndReleases.contains(AuditEvents.text(e, "type"))))
                .as("the audit entries the page names, in this order").extracting(e -> AuditEvents.text(e, "type"))
                .containsExactlyElementsOf(registryAndReleases);
    }

    /** Every entry of the public release log, parsed. */
    private List<ReleaseEntry> releaseLog() throws ReleaseFormatException {
        String checkpoint = https.get("/api/v1/releases/log/checkpoint").body();
        long size = Long.parseLong(checkpoint.lines().toList().get(1));
        JsonNode page = TestHttps.json(https.get("/api/v1/releases/log/entries?start=0&end=" + size));
        List<ReleaseEntry> entries = new java.util.ArrayList<>();
        for (JsonNode entry : page.get("entries")) {
            entries.add(ReleaseEntry.parse(Base64.getDecoder().decode(entry.get("entry").asString())));
        }
        return entries;
    }

    /**
     * A {@code capsule} command for the script: the CLI's main class, or the server's for {@code osv} (as the
     * launcher routes them), run from this JVM's class path with the launcher's JVM flags.
     */
    private static Path launcher(Path work) throws IOException {
        Path bin = Files.createDirectories(work.resolve(".bin"));
        // Each jar has one logging back end: the server's is Logback, the CLI's slf4j-nop; the test class path has both.
        Path serverClassPath = classPathFile(bin.resolve("server.args"), "slf4j-nop");
        Path cliClassPath = classPathFile(bin.resolve("cli.args"), "logback-");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path capsule = bin.resolve("capsule");
        Files.writeString(capsule, """
                #!/usr/bin/env bash
                flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx512m)
                case "${1:-}" in
                  osv|keys) exec %s "${flags[@]}" @%s dev.capsule.server.CapsuleServer "$@" ;;
                  *) exec %s "${flags[@]}" @%s dev.capsule.cli.CapsuleCli "$@" ;;
                esac
                """.formatted(quote(java), quote(serverClassPath.toString()), quote(java), quote(cliClassPath.toString())));
        assertThat(capsule.toFile().setExecutable(true)).isTrue();
        return bin;
    }

    /** A java argument file: {@code -cp} with this JVM's class path, less the entries whose file name starts with {@code left}. */
    private static Path classPathFile(Path file, String left) throws IOException {
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith(left))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        return Files.writeString(file, "-cp \"" + classPath.replace("\\", "\\\\") + "\"\n");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
