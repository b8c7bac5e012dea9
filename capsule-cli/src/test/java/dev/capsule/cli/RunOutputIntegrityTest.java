package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #11: what capsule run prints cannot be forged by the guest (text and JSON), and --json ends
 * with exactly one exit line whatever happens after the options were parsed.
 */
class RunOutputIntegrityTest {
    /** Each is a way a guest might forge or hide an output line; as JavaScript string literals. */
    private static final List<String> TRICKS_JS = List.of(
            "'ok\\nexit      0 (closed)'",              // a fake exit line
            "'x\\r\\nVIOLATION cpu: fake'",              // a fake violation line
            "'\\u001b]0;pwned\\u0007title'",             // OSC: retitle the terminal
            "'\\u001b[1A\\u001b[2Khidden'",               // cursor up, erase line: hide the line above
            "'a\\u2028b\\u2029c\\u0085d'",                // line/paragraph separators, NEL
            "'\\u202eevil\\u202c'",                      // bidi override
            "'del\\u007f c1\\u009b csi'");               // DEL and a C1 control (CSI)

    /** The decoded strings of {@link #TRICKS_JS}. */
    private static final List<String> TRICKS = List.of(
            "ok\nexit      0 (closed)", "x\r\nVIOLATION cpu: fake", "\u001b]0;pwned\u0007title", "\u001b[1A\u001b[2Khidden",
            "a\u2028b\u2029c\u0085d", "\u202eevil\u202c", "del\u007f c1\u009b csi");

    /** Characters that must never reach stdout raw in either mode. */
    private static final String FORBIDDEN = "\u001b\u0007\u007f\u0085\u009b\u2028\u2029\u202e\u202c";

    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A guest that logs every trick, puts them into its page data and into a failing request's URL. */
    private Path forger() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("forger/pages/index"));
        Path root = tmp.resolve("forger");
        Files.writeString(root.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}");
        Files.writeString(root.resolve("app.js"), "App({})");
        Files.writeString(dir.resolve("index.js"), "const tricks = [" + String.join(",", TRICKS_JS) + "];\n"
                + "Page({data:{t:''}, onLoad(){ for (const t of tricks) console.log(t); this.setData({t: tricks.join('|')});"
                + " wx.request({url: 'https://api.example.com/' + tricks.join(''), fail(e){} }) }})");
        return root;
    }

    private static void assertNoForbiddenCharacter(String out) {
        for (char c : FORBIDDEN.toCharArray()) {
            assertThat(out.indexOf(c)).as("U+%04X printed raw", (int) c).isEqualTo(-1);
        }
    }

    @Test
    void textModeEscapesEveryTrickSoNoLineCanBeForged() throws Exception {
        CliRun r = run("run", forger().toString(), "--dev", "--isolation", "in-process");
        assertThat(r.code()).as(r.err()).isZero();
        assertNoForbiddenCharacter(r.out());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("(launch|lifecycle|data|api|ui|log|VIOLATION|exit) .*"));
        assertThat(lines).filteredOn(l -> l.startsWith("exit")).singleElement().isEqualTo(lines.getLast());
        assertThat(lines).noneMatch(l -> l.startsWith("VIOLATION"));
        // The guest's text is still there, escaped.
        assertThat(r.out()).contains("ok\\u000aexit      0 (closed)", "\\u001b]0;pwned\\u0007title", "a\\u2028b\\u2029c\\u0085d", "\\u202eevil");
    }

    @Test
    void jsonModeEscapesLineSeparatorsAndControlsAndKeepsTheText() throws Exception {
        CliRun r = run("run", forger().toString(), "--dev", "--json", "--isolation", "in-process");
        assertThat(r.code()).as(r.err()).isZero();
        assertNoForbiddenCharacter(r.out());
        List<JsonNode> lines = r.out().lines().map(l -> JsonMapper.shared().readTree(l)).toList();
        List<String> logged = lines.stream().filter(l -> l.get("type").stringValue().equals("log")).map(l -> l.get("text").stringValue()).toList();
        assertThat(logged).containsSubsequence(TRICKS);
        JsonNode data = lines.stream().filter(l -> l.get("type").stringValue().equals("data")).reduce((a, b) -> b).orElseThrow();
        assertThat(data.get("data").get("t").stringValue()).isEqualTo(String.join("|", TRICKS));
        assertThat(lines).filteredOn(l -> l.get("type").stringValue().equals("exit")).singleElement().isEqualTo(lines.getLast());
    }

    @Test
    void safeJsonEscapesWhatJacksonLeavesRaw() {
        var node = dev.capsule.core.json.StrictJson.mapper().createObjectNode().put("s", "a\u2028b\u2029c\u0085d\u007fe\u202ef\uD83D\uDE00");
        String line = SafeJson.line(node);
        assertThat(line).isEqualTo("{\"s\":\"a\\u2028b\\u2029c\\u0085d\\u007Fe\\u202ef\uD83D\uDE00\"}");
        assertThat(JsonMapper.shared().readTree(line).get("s").stringValue()).isEqualTo("a\u2028b\u2029c\u0085d\u007fe\u202ef\uD83D\uDE00");
        String raw = "{\"s\":\"a\u2028b\u0085\"}\n";
        assertThat(SafeJson.raw(raw)).isEqualTo("{\"s\":\"a\\u2028b\\u0085\"} ");
        // Without the escapes, Jackson would have written them raw: the test above cannot pass two ways.
        assertThat(dev.capsule.core.json.StrictJson.mapper().writeValueAsString(node)).contains("\u2028");
    }

    private static List<JsonNode> jsonLines(CliRun r) {
        return r.out().lines().map(l -> JsonMapper.shared().readTree(l)).toList();
    }

    private static void assertOnlyAnExitLine(CliRun r, int code) {
        assertThat(jsonLines(r)).hasSize(1);
        assertEndsWithOneExitLine(r, code);
    }

    private static void assertEndsWithOneExitLine(CliRun r, int code) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        List<JsonNode> lines = jsonLines(r);
        assertThat(lines).filteredOn(l -> l.get("type").stringValue().equals("exit")).singleElement().isEqualTo(lines.getLast()).satisfies(l -> {
            assertThat(l.get("type").stringValue()).isEqualTo("exit");
            assertThat(l.get("code").intValue()).isEqualTo(code);
            assertThat(l.get("reason").stringValue()).isNotBlank();
        });
        assertThat(r.err().strip()).isNotEmpty().doesNotContain("\n");
    }

    @Test
    void jsonEndsWithOneExitLineForAnUnreadableFile() {
        CliRun r = run("run", tmp.resolve("missing.capsule").toString(), "--trust", tmp.resolve("k.pub") + ":*", "--json");
        assertOnlyAnExitLine(r, ExitCode.USAGE);
    }

    @Test
    void jsonEndsWithOneExitLineForAUsageErrorAfterParsing() {
        CliRun r = run("run", RepoPaths.example("todo").toString(), "--dev", "--json", "--modal", "maybe");
        assertOnlyAnExitLine(r, ExitCode.USAGE);
        assertThat(jsonLines(r).getFirst().get("reason").stringValue()).contains("--modal");
    }

    @Test
    void jsonEndsWithOneExitLineForARejectedPackage() {
        run("keygen", "--out", tmp.resolve("dev.key").toString());
        run("pack", RepoPaths.example("todo").toString(), "--out", tmp.resolve("todo.capsule").toString());
        CliRun r = run("run", tmp.resolve("todo.capsule").toString(), "--trust", tmp.resolve("dev.key.pub") + ":*", "--json");
        assertOnlyAnExitLine(r, ExitCode.REJECTED);
        assertThat(jsonLines(r).getFirst().get("reason").stringValue()).contains("rejected (unsigned)");
    }

    @Test
    void aBadUserIdIsAUsageErrorEndingInOneExitLine() {
        CliRun r = run("run", RepoPaths.example("todo").toString(), "--dev", "--json", "--user", "not a valid user", "--isolation", "in-process");
        assertEndsWithOneExitLine(r, ExitCode.USAGE);
        assertThat(r.err().strip()).isEqualTo("capsule run: --user must be " + dev.capsule.runtime.CapsuleRuntime.USER_ID_RULE);
    }

    @Test
    void textModeRejectionPrintsNothingOnStdout() {
        CliRun r = run("run", RepoPaths.example("todo").toString(), "--dev", "--modal", "maybe");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.out()).isEmpty();
    }
}
