package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** capsule run as spec §5 describes it: JSON lines, scripted events, exit codes, --dev. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String p(String name) {
        return tmp.resolve(name).toString();
    }

    private Path events(String json) throws Exception {
        Path file = tmp.resolve("events-" + System.nanoTime() + ".json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void runsASignedPackageVerifiedAndPrintsJsonLines() throws Exception {
        run("keygen", "--out", p("dev.key"));
        run("pack", RepoPaths.example("todo").toString(), "--out", p("todo.capsule"));
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        Path script = events("[{\"handler\":\"onInput\",\"event\":{\"detail\":{\"value\":\"Buy milk\"}}},{\"handler\":\"onAdd\"},"
                + "{\"handler\":\"onToggle\",\"route\":\"pages/index/index\",\"event\":{\"currentTarget\":{\"dataset\":{\"index\":0}}}}]");
        CliRun r = run("run", p("todo.capsule"), "--trust", p("dev.key.pub") + ":com.example.*", "--json", "--events", script.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.lines();
        assertThat(lines.getFirst().get("type").stringValue()).isEqualTo("launch");
        assertThat(lines.getFirst().get("verified").booleanValue()).isTrue();
        assertThat(lines.getLast().get("type").stringValue()).isEqualTo("exit");
        assertThat(lines.getLast().get("code").intValue()).isZero();
        assertThat(r.types()).contains("lifecycle", "data", "api");
        JsonNode lastData = lines.stream().filter(l -> l.get("type").stringValue().equals("data")).reduce((a, b) -> b).orElseThrow();
        assertThat(lastData.get("data").get("todos").get(0).get("done").booleanValue()).isTrue();
    }

    @Test
    void inProcessIsolationGivesTheSameRunAsAWorkerProcess() throws Exception {
        Path script = events("[{\"handler\":\"onInput\",\"event\":{\"detail\":{\"value\":\"Buy milk\"}}},{\"handler\":\"onAdd\"}]");
        String app = RepoPaths.example("todo").toString();
        CliRun worker = run("run", app, "--dev", "--json", "--events", script.toString(), "--isolation", "process");
        CliRun local = run("run", app, "--dev", "--json", "--events", script.toString(), "--isolation", "in-process");
        assertThat(worker.code()).as(worker.err()).isZero();
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(worker.out().replaceAll("\\d{13}", "T")).isEqualTo(local.out().replaceAll("\\d{13}", "T"));
    }

    @Test
    void keepOpenHoldsAnIdleSessionUntilTheTimeoutAndWithoutItTheRunEndsWhenIdle() throws Exception {
        String app = RepoPaths.example("todo").toString();
        long start = System.nanoTime();
        CliRun open = run("run", app, "--dev", "--json", "--isolation", "in-process", "--keep-open", "--timeout", "3");
        long openMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        CliRun idle = run("run", app, "--dev", "--json", "--isolation", "in-process", "--timeout", "3");
        long idleMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(open.code()).as(open.err()).isZero();
        assertThat(open.lines().getLast().get("type").stringValue()).isEqualTo("exit");
        assertThat(openMillis).as("the idle todo app stays open until --timeout").isGreaterThanOrEqualTo(3_000);
        assertThat(idle.code()).as(idle.err()).isZero();
        assertThat(idleMillis).as("without --keep-open an idle run ends at once").isLessThan(3_000);
    }

    @Test
    void rejectsAnUnknownIsolation() throws Exception {
        CliRun r = run("run", RepoPaths.example("todo").toString(), "--dev", "--isolation", "container");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("capsule run: --isolation must be process or in-process");
    }

    @Test
    void refusesAnUntrustedPackageBeforeRunningIt() throws Exception {
        run("keygen", "--out", p("dev.key"));
        run("keygen", "--out", p("other.key"));
        run("pack", RepoPaths.example("todo").toString(), "--out", p("todo.capsule"));
        run("sign", p("todo.capsule"), "--key", p("dev.key"));
        CliRun r = run("run", p("todo.capsule"), "--trust", p("other.key.pub") + ":*", "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("rejected (untrusted)");
        // Still JSON lines on stdout: exactly one, the exit line, with the reason.
        assertThat(r.types()).containsExactly("exit");
        assertThat(r.lines().getFirst().get("code").intValue()).isEqualTo(1);
        assertThat(r.lines().getFirst().get("reason").stringValue()).contains("rejected (untrusted)");
    }

    @Test
    void needsTrustOrDev() {
        CliRun r = run("run", RepoPaths.example("todo").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--trust").contains("--dev");
        assertThat(run("run", RepoPaths.example("todo").toString(), "--trust", p("x.pub") + ":*").code()).isEqualTo(2);
    }

    @Test
    void devRunsAnUnmodifiedWeChatProjectUnderTheStrictestManifest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("wechat"));
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}");
        Files.writeString(dir.resolve("app.js"), "App({})");
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"),
                "Page({onLoad(){ wx.request({url:'https://api.example.com/x', fail(e){ console.log(e.errMsg) }}) }})");
        CliRun r = run("run", dir.toString(), "--dev", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("strictest manifest").contains("\"verified\":false").contains("request:fail");
    }

    @Test
    void aViolationEndsTheRunWithExitOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("loop"));
        for (String f : List.of("capsule.json", "app.json", "app.js")) {
            Files.copy(RepoPaths.example("todo").resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}");
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"), "Page({onLoad(){ for(;;){} }})");
        CliRun r = run("run", dir.toString(), "--dev", "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.types()).contains("violation").last().isEqualTo("exit");
        assertThat(r.lines().getLast().get("code").intValue()).isEqualTo(1);
    }

    @Test
    void dataDirKeepsEncryptedStorageAcrossRuns() throws Exception {
        Path script = events("[{\"handler\":\"onInput\",\"event\":{\"detail\":{\"value\":\"Persist me\"}}},{\"handler\":\"onAdd\"}]");
        String todo = RepoPaths.example("todo").toString();
        assertThat(run("run", todo, "--dev", "--json", "--data-dir", p("data"), "--events", script.toString()).code()).isZero();
        CliRun second = run("run", todo, "--dev", "--json", "--data-dir", p("data"));
        assertThat(second.out()).contains("Persist me");
        try (var files = Files.walk(tmp.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Persist me");
            }
        }
    }

    @Test
    void badEventsFileIsAUsageError() throws Exception {
        Path script = events("[{\"handler\":\"onAdd\",\"evnt\":{}}]");
        CliRun r = run("run", RepoPaths.example("todo").toString(), "--dev", "--events", script.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown field 'evnt'");
    }

    @Test
    void weatherExampleFailsItsRequestGracefullyWithoutNetwork() throws Exception {
        Path script = events("[{\"handler\":\"onRefresh\"}]");
        CliRun r = run("run", RepoPaths.example("weather").toString(), "--dev", "--json", "--events", script.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"name\":\"request\",\"outcome\":\"fail\"").contains("\"kind\":\"showToast\"");
    }
}
