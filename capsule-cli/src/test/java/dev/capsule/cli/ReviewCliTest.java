package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code capsule review}: one escaped line per finding, JSON and HTML forms, exit 1 exactly when blocking. */
class ReviewCliTest {
    private static final String MANIFEST = """
            {"id":"com.example.review","version":"1.0.0","name":"Review","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"]}}""";

    @TempDir
    Path tmp;

    private Path app(String appJs) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(dir.resolve("capsule.json"), MANIFEST, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("app.js"), appJs, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"), "Page({ data: {} });\n", StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void aCleanDirectoryHasNoFindingsAndExitsZero() throws Exception {
        CliRun r = CliRun.oneLineErrors("review", app("App({});\n").toString());
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(r.out().strip()).isEqualTo("0 finding(s): 0 critical, 0 high, 0 medium, 0 low, 0 info; not blocking");
    }

    @Test
    void findingsArePrintedOneEscapedLineEachWithFileAndLine() throws Exception {
        CliRun r = CliRun.oneLineErrors("review", app("App({});\nvar u = 'https://evil\u202e.example.net\u2028/x';\neval('1');\n").toString());
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).doesNotContain("\u2028").doesNotContain("\u202e");
        assertThat(r.out().lines().toList()).containsExactly(
                "high js.eval app.js:3: eval: code from strings",
                "medium network.host-not-allowed app.js:2: URL https://evil\\u202e.example.net\\u2028: host evil\\u202e.example.net\\u2028"
                        + " is not in capsule.json's network lists",
                "2 finding(s): 0 critical, 1 high, 1 medium, 0 low, 0 info; not blocking");
    }

    @Test
    void aCriticalFindingExitsOneWithOneLineOnStderr() throws Exception {
        Path dir = app("App({ k: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAw\\n-----END PRIVATE KEY-----' });\n");
        CliRun r = CliRun.oneLineErrors("review", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).contains("critical secret.private-key app.js:1:");
        assertThat(r.err().strip()).isEqualTo("capsule review: blocking: 1 critical finding(s)");
    }

    @Test
    void aPackedFileIsReviewedLikeItsDirectoryAndJsonAndHtmlAgree() throws Exception {
        Path dir = app("App({});\neval('1');\n");
        Path file = tmp.resolve("app.capsule");
        assertThat(CliRun.oneLineErrors("pack", dir.toString(), "--out", file.toString()).code()).isZero();
        Path html = tmp.resolve("report.html");
        CliRun r = CliRun.oneLineErrors("review", file.toString(), "--json", "--html", html.toString());
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        JsonNode json = r.json();
        assertThat(json.get("format").stringValue()).isEqualTo("capsule-review/1");
        assertThat(json.get("findings")).hasSize(1);
        assertThat(json.get("findings").get(0).get("rule").stringValue()).isEqualTo("js.eval");
        assertThat(json.get("findings").get(0).get("line").intValue()).isEqualTo(2);
        assertThat(CliRun.oneLineErrors("review", dir.toString(), "--json").out()).isEqualTo(r.out());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("js.eval").doesNotContain("<script");
    }

    @Test
    void aDirectoryThatDoesNotPackIsABlockingFinding() throws Exception {
        Path dir = app("App({});\n");
        Files.writeString(dir.resolve("capsule.json"), "{}", StandardCharsets.UTF_8);
        CliRun r = CliRun.oneLineErrors("review", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.out()).startsWith("critical package.invalid-manifest -: the package fails the pack checks:");
    }

    @Test
    void aMissingInputIsAUsageError() {
        CliRun r = CliRun.oneLineErrors("review", tmp.resolve("nope.capsule").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("no such file or directory");
    }
}
