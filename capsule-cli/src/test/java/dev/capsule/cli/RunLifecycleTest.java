package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * capsule run and the app lifecycle: --path (launch at a page, onPageNotFound, plugin pages), page events
 * from --events, and the lifecycle fixture (fixtures/lifecycle) the same in both tiers.
 */
class RunLifecycleTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/lifecycle");

    @TempDir
    Path tmp;

    private Path events(String json) throws Exception {
        Path file = tmp.resolve("events-" + System.nanoTime() + ".json");
        Files.writeString(file, json);
        return file;
    }

    private static List<String> logs(CliRun r) {
        return r.lines().stream().filter(l -> l.get("type").stringValue().equals("log")).map(l -> l.get("text").stringValue()).toList();
    }

    private static JsonNode lastData(CliRun r, String route) {
        return r.lines().stream().filter(l -> l.get("type").stringValue().equals("data") && l.get("route").stringValue().equals(route))
                .reduce((a, b) -> b).map(l -> l.get("data")).orElseThrow();
    }

    @Test
    void theLifecycleFixtureRunsItsEventsAndBothTiersAgree() {
        String events = FIXTURE.resolve("events.json").toString();
        CliRun local = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "in-process", "--events", events);
        CliRun worker = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "process", "--events", events);
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(logs(local)).contains("launch path pages/index/index", "App.onShow scene 1001", "tab 0 pages/index/index Home",
                "App.onError Error: oops from a handler", "wx.onError Error: oops from a handler",
                "App.onUnhandledRejection nobody caught this true", "wx.onUnhandledRejection nobody caught this");
        JsonNode index = lastData(local, "pages/index/index");
        assertThat(index.get("scrollTop").intValue()).isEqualTo(240);
        assertThat(index.get("size").get("windowWidth").intValue()).isEqualTo(812);
        assertThat(index.get("order").toString()).isEqualTo("[\"sync\",\"promise\",\"nextTick\",\"timer\"]");
        assertThat(lastData(local, "shop/list/list").get("from").stringValue()).isEqualTo("index");
        assertThat(worker.code()).as(worker.err()).isZero();
        assertThat(worker.out().replaceAll("\\d{13}", "T")).isEqualTo(local.out().replaceAll("\\d{13}", "T"));
    }

    @Test
    void pathLaunchesAtAPageAndAMissingOneRunsOnPageNotFound() {
        CliRun shop = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "in-process", "--path", "shop/list/list?from=scan");
        assertThat(shop.code()).as(shop.err()).isZero();
        assertThat(lastData(shop, "shop/list/list").get("from").stringValue()).isEqualTo("scan");

        CliRun missing = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "in-process", "--path", "/pages/gone/gone?x=1");
        assertThat(missing.code()).as(missing.err()).isZero();
        assertThat(logs(missing)).contains("App.onPageNotFound {\"path\":\"pages/gone/gone\",\"query\":{\"x\":\"1\"},\"isEntryPage\":true}");
        assertThat(lastData(missing, "pages/about/about")).isNotNull();
    }

    @Test
    void anIndependentSubpackageLaunchRunsWithoutAppJs() {
        CliRun solo = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "in-process", "--path", "solo/welcome/welcome");
        assertThat(solo.code()).as(solo.err()).isZero();
        assertThat(logs(solo)).noneMatch(l -> l.startsWith("App.onLaunch"));
        assertThat(lastData(solo, "solo/welcome/welcome").get("hasApp").booleanValue()).isFalse();
    }

    @Test
    void aPluginPathFailsTheLaunchWithItsReason() {
        CliRun r = CliRun.of("run", FIXTURE.toString(), "--dev", "--json", "--isolation", "in-process", "--path", "plugin://wxPlugin/page");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.lines().getLast().get("reason").stringValue()).isEqualTo("launch failed: plugins are not supported: cannot open plugin://wxPlugin/page");
    }

    @Test
    void aBadPathOrARefusedStepIsAUsageErrorBeforeAnythingRuns() throws Exception {
        CliRun bad = CliRun.oneLineErrors("run", FIXTURE.toString(), "--dev", "--json", "--path", "pages/a#b");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("capsule run: --path: launch path must be printable text without '?', '#' or '\\'");
        assertThat(bad.types()).containsExactly("exit"); // --json: nothing ran, only the exit line

        CliRun release = CliRun.oneLineErrors("run", "com.example.todo", "--from", "https://127.0.0.1:9/", "--json", "--path", "pages/index/index");
        assertThat(release.code()).isEqualTo(2);
        assertThat(release.err().strip()).isEqualTo("capsule run: --path applies to a package or directory, not to a release launch");

        CliRun hook = CliRun.oneLineErrors("run", FIXTURE.toString(), "--dev", "--json", "--events", events("[{\"handler\":\"onTap\"},{\"handler\":\"onLoad\"}]").toString());
        assertThat(hook.code()).isEqualTo(2);
        assertThat(hook.err()).contains("events[1]: onLoad is a lifecycle hook the runtime runs; it is never dispatched");

        CliRun shape = CliRun.oneLineErrors("run", FIXTURE.toString(), "--dev", "--json", "--events", events("[{\"handler\":\"onPageScroll\",\"event\":{\"top\":1}}]").toString());
        assertThat(shape.code()).isEqualTo(2);
        assertThat(shape.err()).contains("unknown field 'top' (onPageScroll takes {scrollTop})");
    }
}
