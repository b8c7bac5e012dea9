package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** capsule run --dev --all-pages: every page as the entry page, one line each, a total, exit 1 if any fails. */
class AllPagesCommandTest {
    @TempDir
    Path tmp;

    /** Writes an unmodified WeChat-style app (no capsule.json) of path/content pairs into a fresh directory. */
    private Path app(String... pathsAndContents) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "app");
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = dir.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pathsAndContents[i + 1]);
        }
        return dir;
    }

    /** A report: stdout only (a failed page is a line of the report, not an error of the command), never a stack trace. */
    private static CliRun report(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** Three pages; the second throws on line 4 of its script. */
    private Path appWithAThrowingPage() throws Exception {
        return app("app.json", "{\"pages\":[\"pages/a/a\",\"pages/b/b\",\"pages/c/c\"]}",
                "app.js", "App({})",
                "pages/a/a.js", "Page({ data: { n: 1 } })",
                "pages/b/b.js", "Page({\n  onLoad() {\n    const n = 1;\n    notDefinedAnywhere(n);\n  }\n})\n",
                "pages/c/c.js", "Page({ onShow() { this.setData({ shown: true }) } })");
    }

    @ParameterizedTest
    @ValueSource(strings = {"process", "in-process"})
    void aPageThatThrowsOnLineFourIsReportedAtItsFileAndLineAndTheRunExitsOne(String tier) throws Exception {
        CliRun r = report("run", appWithAThrowingPage().toString(), "--dev", "--all-pages", "--isolation", tier);

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out().lines().filter(l -> !l.startsWith("log ")).toList()).containsExactly(
                "ok      pages/a/a",
                "FAIL    pages/b/b  Uncaught ReferenceError: notDefinedAnywhere is not defined (in onLoad, pages/b/b.js:4)",
                "ok      pages/c/c",
                "total 2 of 3 pages ok");
    }

    @Test
    void everyPageOkExitsZeroAndJsonGivesOnePageObjectEachATotalAndOneExitLineLast() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\",\"pages/b/b\"]}", "app.js", "App({})",
                "pages/a/a.js", "Page({})", "pages/b/b.js", "Page({ onLoad() { setTimeout(() => this.setData({ late: 1 }), 20) } })");
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--json", "--isolation", "in-process");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<JsonNode> reports = r.lines().stream().filter(l -> !l.get("type").stringValue().equals("log")).toList();
        assertThat(reports).hasSize(4);
        assertThat(reports.get(0).toString()).isEqualTo("{\"type\":\"page\",\"route\":\"pages/a/a\",\"outcome\":\"ok\"}");
        assertThat(reports.get(1).toString()).isEqualTo("{\"type\":\"page\",\"route\":\"pages/b/b\",\"outcome\":\"ok\"}");
        assertThat(reports.get(2).toString()).isEqualTo("{\"type\":\"total\",\"pages\":2,\"ok\":2,\"busy\":0,\"failed\":0}");
        assertThat(reports.get(3).toString()).isEqualTo("{\"type\":\"exit\",\"code\":0,\"reason\":\"every page loaded\"}");
        assertThat(r.types()).filteredOn("exit"::equals).hasSize(1);
    }

    @Test
    void aFailingPageInJsonIsAFailObjectWithTheErrorAndTheExitLineSaysHowManyFailed() throws Exception {
        CliRun r = report("run", appWithAThrowingPage().toString(), "--dev", "--all-pages", "--json", "--isolation", "in-process");

        assertThat(r.code()).isEqualTo(1);
        JsonNode failed = r.lines().stream().filter(l -> l.get("type").stringValue().equals("page") && l.get("outcome").stringValue().equals("fail"))
                .findFirst().orElseThrow();
        assertThat(failed.get("route").stringValue()).isEqualTo("pages/b/b");
        assertThat(failed.get("error").stringValue()).endsWith("(in onLoad, pages/b/b.js:4)");
        assertThat(r.lines().getLast().toString()).isEqualTo("{\"type\":\"exit\",\"code\":1,\"reason\":\"1 of 3 pages failed\"}");
    }

    /**
     * Each page is the entry page of its own fresh session: the only page on the stack, with nothing left
     * in storage by the pages before it. Either kind of leak would make the later pages throw.
     */
    @Test
    void eachPageIsTheOnlyPageOfAFreshSessionWithFreshStorage() throws Exception {
        String page = "Page({ onLoad() {\n"
                + "  const stack = getCurrentPages();\n"
                + "  if (stack.length !== 1 || stack[0] !== this) throw new Error('not the entry page: ' + stack.length);\n"
                + "  if (wx.getStorageSync('launches') !== 1) throw new Error('storage shared: ' + wx.getStorageSync('launches'));\n"
                + "} })";
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\",\"pages/b/b\",\"pages/c/c\"]}",
                "app.js", "App({ onLaunch(o) { wx.setStorageSync('launches', (wx.getStorageSync('launches') || 0) + 1); this.entry = o.path } })",
                "pages/a/a.js", page, "pages/b/b.js", page,
                "pages/c/c.js", page.replace("} })", "  if (getApp().entry !== 'pages/c/c') throw new Error('launched at ' + getApp().entry);\n} })"));
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--isolation", "in-process");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("ok      pages/a/a", "ok      pages/b/b", "ok      pages/c/c", "total 3 of 3 pages ok");
    }

    @Test
    void aPageStillBusyAtThePageLimitIsOkReportedAsBusyAndTheNextPageStillRuns() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/busy/busy\",\"pages/ok/ok\"]}", "app.js", "App({})",
                "pages/busy/busy.js", "Page({ onLoad() { setInterval(() => {}, 50) } })", "pages/ok/ok.js", "Page({})");
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--page-timeout", "1", "--isolation", "in-process");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("busy    pages/busy/busy  still busy after 1000 ms (timers or calls pending)", "ok      pages/ok/ok",
                "total 2 of 2 pages ok (1 still busy when their time was up)");
    }

    @Test
    void aViolationFailsThePage() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\"]}", "app.js", "App({})",
                "pages/a/a.js", "Page({ onLoad() { for (;;) {} } })");
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--isolation", "in-process");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL    pages/a/a  violation cpu: ").contains("total 0 of 1 pages ok");
    }

    @Test
    void theAppsOwnConsoleErrorIsNotAFailure() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\"]}", "app.js", "App({})",
                "pages/a/a.js", "Page({ onLoad() { console.error('request failed, showing cached data') } })");
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--isolation", "in-process");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("ok      pages/a/a");
    }

    @Test
    void guestTextInAFailureLineIsEscapedSoItCannotForgeALine() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\"]}", "app.js", "App({})",
                "pages/a/a.js", "Page({ onLoad() { throw new Error('x\\nok      pages/z/z\\ntotal 9 of 9 pages ok\\u001b[2J') } })");
        CliRun r = report("run", dir.toString(), "--dev", "--all-pages", "--isolation", "in-process");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().lines().filter(l -> !l.startsWith("log ")).toList()).hasSize(2).last().isEqualTo("total 0 of 1 pages ok");
        assertThat(r.out()).doesNotContain("\u001b").contains("x\\u000aok      pages/z/z");
    }

    @Test
    void aLongErrorIsCutInTheMiddleInTextKeepingItsFileAndLineAndIsWholeInJson() throws Exception {
        Path dir = app("app.json", "{\"pages\":[\"pages/a/a\"]}", "app.js", "App({})",
                "pages/a/a.js", "Page({ onLoad() {\n throw new Error('m'.repeat(2000) + 'END') } })");
        CliRun text = report("run", dir.toString(), "--dev", "--all-pages", "--isolation", "in-process");
        CliRun json = report("run", dir.toString(), "--dev", "--all-pages", "--json", "--isolation", "in-process");

        String line = text.out().lines().filter(l -> l.startsWith("FAIL")).findFirst().orElseThrow();
        assertThat(line).startsWith("FAIL    pages/a/a  Uncaught Error: mmm").endsWith("…" + " (in onLoad, pages/a/a.js:2)").doesNotContain("END");
        assertThat(line.length()).isEqualTo("FAIL    pages/a/a  ".length() + AllPagesRun.TEXT_ERROR_CHARS_MAX);
        JsonNode page = json.lines().stream().filter(l -> l.get("type").stringValue().equals("page")).findFirst().orElseThrow();
        assertThat(page.get("error").stringValue()).isEqualTo("Uncaught Error: " + "m".repeat(2000) + "END (in onLoad, pages/a/a.js:2)");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path dir = appWithAThrowingPage();
        CliRun.of("keygen", "--out", tmp.resolve("dev.key").toString());
        CliRun signed = CliRun.oneLineErrors("run", dir.toString(), "--all-pages", "--trust", tmp.resolve("dev.key.pub") + ":dev.local.*");
        assertThat(signed.code()).isEqualTo(2);
        assertThat(signed.err()).contains("--all-pages needs --dev");
        CliRun withEvents = CliRun.oneLineErrors("run", dir.toString(), "--dev", "--all-pages", "--keep-open");
        assertThat(withEvents.code()).isEqualTo(2);
        assertThat(withEvents.err()).contains("--all-pages launches each page in a fresh session");
        assertThat(CliRun.oneLineErrors("run", dir.toString(), "--dev", "--all-pages", "--path", "pages/b/b").code()).isEqualTo(2);
        CliRun badLimit = CliRun.oneLineErrors("run", dir.toString(), "--dev", "--all-pages", "--page-timeout", "0", "--json");
        assertThat(badLimit.code()).isEqualTo(2);
        assertThat(badLimit.lines().getLast().get("type").stringValue()).isEqualTo("exit");
        assertThat(CliRun.oneLineErrors("run", dir.toString(), "--dev", "--all-pages", "--timeout", "3601").code()).isEqualTo(2);
    }
}
