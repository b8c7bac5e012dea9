package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.core.testing.TestReleaseLog;
import dev.capsule.runtime.testing.ReleaseTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** capsule run --from URL APPID --trust-platform FILE: a verified release from a platform server, and its kill switch. */
class RunFromReleaseTest {
    private static final String APP = "com.example.todo";

    @TempDir
    Path tmp;
    private ReleaseTestServer server;
    private Path trustFile;

    @BeforeEach
    void start() throws Exception {
        server = new ReleaseTestServer();
        trustFile = tmp.resolve("platform-trust.txt");
        Files.writeString(trustFile, server.trustFile());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun runFrom(String... extra) {
        return CliRun.oneLineErrors(args(extra));
    }

    private String[] args(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--from", server.url().toString(), APP, "--trust-platform", trustFile.toString(),
                "--tls-fingerprint", ReleaseTestServer.certificateFingerprint(), "--state", tmp.resolve("state").toString(), "--json",
                "--isolation", "in-process"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void runsTheVerifiedReleaseUnderItsRiskProfile() throws Exception {
        server.release(APP, "1.0.0", RiskProfile.CONTENT, "Page({ onLoad() { console.log('location ' + typeof wx.getLocation); } })");
        CliRun r = runFrom();
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines.getFirst().get("type").stringValue()).isEqualTo("launch");
        assertThat(lines.getFirst().get("verified").booleanValue()).isTrue();
        assertThat(lines.getFirst().get("version").stringValue()).isEqualTo("1.0.0");
        assertThat(lines).anySatisfy(l -> assertThat(l.path("text").asString("")).isEqualTo("location undefined"));
        assertThat(lines.getLast().get("type").stringValue()).isEqualTo("exit");
        assertThat(Files.exists(tmp.resolve("state").resolve("release-client-state.json"))).isTrue();
    }

    @Test
    void aReleaseRevokedWhileItRunsExitsWithRevoked() throws Exception {
        server.release(APP, "1.0.0", RiskProfile.UTILITY, "Page({ onLoad() { setInterval(() => {}, 100); console.log('running'); } })");
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "1.0.0", "leaks tokens")), Optional.empty()),
                    3, TimeUnit.SECONDS);
            long began = System.nanoTime();
            CliRun r = CliRun.of(args("--timeout", "60")); // a stopped session prints its exit line, not an error
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).as("ended by the kill switch, not the timeout").isLessThan(30);
            assertThat(r.code()).isEqualTo(1);
            JsonNode exit = r.lines().getLast();
            assertThat(exit.get("type").stringValue()).isEqualTo("exit");
            assertThat(exit.get("code").intValue()).isEqualTo(1);
            assertThat(exit.get("reason").stringValue()).isEqualTo("revoked: version 1.0.0 of com.example.todo was revoked by the platform: leaks tokens");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aRevokedReleaseIsRefusedInOneLine() throws Exception {
        server.release(APP, "1.0.0", RiskProfile.UTILITY, "Page({})");
        server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "1.0.0", "malware")), Optional.empty());
        CliRun r = runFrom();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("capsule run: version 1.0.0 of com.example.todo was revoked by the platform: malware");
        assertThat(r.lines()).singleElement().satisfies(l -> assertThat(l.get("type").stringValue()).isEqualTo("exit"));
    }

    @Test
    void aPlatformTrustFileOfAnotherPlatformRefusesTheRelease() throws Exception {
        server.release(APP, "1.0.0", RiskProfile.UTILITY, "Page({})");
        Files.writeString(trustFile, new TestReleaseLog().trust().format());
        CliRun r = runFrom();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("capsule run: release refused (checkpoint-signature): ");
    }

    @Test
    void aWrongTlsPinIsUnreachable() throws Exception {
        server.release(APP, "1.0.0", RiskProfile.UTILITY, "Page({})");
        CliRun r = CliRun.oneLineErrors("run", "--from", server.url().toString(), APP, "--trust-platform", trustFile.toString(),
                "--tls-fingerprint", "00".repeat(32), "--state", tmp.resolve("state").toString(), "--isolation", "in-process");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot fetch the release of com.example.todo", "fingerprint does not match");
    }

    @Test
    void usageErrorsAreOneLineAndExit2() throws Exception {
        String url = server.url().toString();
        assertThat(CliRun.oneLineErrors("run", "--from", url, APP).err()).contains("--from needs --trust-platform FILE");
        assertThat(CliRun.oneLineErrors("run", "--from", url, APP, "--trust-platform", trustFile.toString(), "--dev").err())
                .contains("neither --trust nor --dev");
        assertThat(CliRun.oneLineErrors("run", "--from", url, "Not An Id", "--trust-platform", trustFile.toString()).err())
                .contains("give the mini-program id");
        assertThat(CliRun.oneLineErrors("run", "app.capsule", "--dev", "--trust-platform", trustFile.toString()).err())
                .contains("go with --from URL");
        Files.writeString(tmp.resolve("bad-trust.txt"), "not a trust file\n");
        assertThat(CliRun.oneLineErrors("run", "--from", url, APP, "--trust-platform", tmp.resolve("bad-trust.txt").toString()).code()).isEqualTo(2);
        assertThat(CliRun.oneLineErrors("run", "--from", "http://localhost:1", APP, "--trust-platform", trustFile.toString(),
                "--state", tmp.resolve("s").toString()).err()).contains("https");
        for (String[] args : List.of(new String[] {"run", "--from", url, APP}, new String[] {"run", "--from", url, "Not An Id", "--trust-platform", "x"})) {
            assertThat(CliRun.of(args).code()).isEqualTo(2);
        }
    }
}
