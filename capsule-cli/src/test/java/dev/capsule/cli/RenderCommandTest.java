package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** capsule render as docs/cli.md describes it: the page written, --ops lines, the same --events as run, its errors. */
class RenderCommandTest {
    private static final String SHOP = RepoPaths.example("shop").toString();
    private static final String TODO = RepoPaths.example("todo").toString();

    @TempDir
    Path tmp;

    private Path events(String json) throws Exception {
        return CliRun.eventsFile(tmp, json);
    }

    private CliRun render(String... args) {
        return CliRun.oneLineErrors(args);
    }

    @Test
    void writesTheFirstPageAsOneInertDocument() throws Exception {
        Path out = tmp.resolve("shop.html");
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("wrote pages/index/index to " + out);
        RenderedPage page = RenderedPage.of(Files.readString(out, StandardCharsets.UTF_8));
        assertThat(page.texts(".product-name")).containsExactly("Green tea", "Steamed bun");
        assertThat(page.texts(".product-price")).containsExactly("¥4.50", "¥3.00");
        assertThat(page.css()).contains("var(--rpx)");
    }

    @Test
    void aTapBySelectorRunsTheBoundHandlerWithItsDatasetAndTheNewPageIsWritten() throws Exception {
        Path out = tmp.resolve("cart.html");
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--events", events("[{\"tap\": \"#add-tea\"}]").toString(),
                "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        RenderedPage page = RenderedPage.of(Files.readString(out, StandardCharsets.UTF_8));
        assertThat(page.texts(".line-name")).containsExactly("Green tea");
        assertThat(page.text("#total .amount")).isEqualTo("¥4.50");
    }

    @Test
    void opsPrintsEveryBatchAsAJsonLineInVersionOrderPerPage() throws Exception {
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--ops", "--events", events("[{\"tap\": \"#add-bun\"}]").toString(),
                "--out", tmp.resolve("p.html").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<JsonNode> views = r.lines().stream().filter(l -> l.get("type").stringValue().equals("view")).toList();
        assertThat(views).isNotEmpty();
        assertThat(views.stream().map(v -> v.get("route").stringValue()).distinct()).containsExactly("pages/index/index", "cart/pages/cart/cart");
        for (String route : List.of("pages/index/index", "cart/pages/cart/cart")) {
            List<Integer> versions = views.stream().filter(v -> v.get("route").stringValue().equals(route)).map(v -> v.get("version").intValue()).toList();
            assertThat(versions.getFirst()).isEqualTo(1);
            assertThat(versions).isSorted().doesNotHaveDuplicates();
        }
        // the first batch builds the page under the root (node 1), which every page has from the start
        List<JsonNode> first = new java.util.ArrayList<>();
        views.getFirst().get("ops").forEach(first::add);
        assertThat(first).anyMatch(op -> op.get("op").stringValue().equals("createElement"))
                .anyMatch(op -> op.get("op").stringValue().equals("insert") && op.get("parent").intValue() == 1);
        assertThat(r.out()).contains("\"op\":\"createText\"").contains("Steamed bun");
        assertThat(r.lines().getLast().get("type").stringValue()).isEqualTo("exit");
    }

    @Test
    void withoutOpsNoViewLinesArePrinted() throws Exception {
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--json", "--out", tmp.resolve("p.html").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.types()).contains("launch", "data").doesNotContain("view");
    }

    @Test
    void aSelectorThatMatchesNothingIsOneLineAndExit2AndNoPageIsWritten() throws Exception {
        Path out = tmp.resolve("none.html");
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--events",
                events("[{\"tap\": \"#add-tea\"}, {\"tap\": \"#add-tea\"}]").toString(), "--out", out.toString());
        // the first tap opened the cart page, which has no #add-tea
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip()).isEqualTo("capsule render: events[1]: '#add-tea' matches no element on cart/pages/cart/cart");
        assertThat(out).doesNotExist();
    }

    @Test
    void aBadSelectorIsAUsageErrorBeforeAnythingRuns() throws Exception {
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--json", "--events", events("[{\"tap\": \"button:first-child\"}]").toString(),
                "--out", tmp.resolve("p.html").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("events[0].tap").contains("selector");
        assertThat(r.types()).as("nothing ran: only the exit line").containsExactly("exit");
    }

    @Test
    void runTakesTheSameElementStepsAsRender() throws Exception {
        CliRun r = CliRun.oneLineErrors("run", TODO, "--dev", "--json", "--isolation", "in-process", "--events",
                events("[{\"input\": \"#new-todo\", \"detail\": {\"value\": \"Buy milk\"}}, {\"tap\": \"#add\"}, {\"tap\": \".todo-main\"}]").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.types()).doesNotContain("view");
        JsonNode lastData = r.lines().stream().filter(l -> l.get("type").stringValue().equals("data")).reduce((a, b) -> b).orElseThrow();
        assertThat(lastData.get("data").get("todos").get(0).get("title").stringValue()).isEqualTo("Buy milk");
        assertThat(lastData.get("data").get("todos").get(0).get("done").booleanValue()).as("the tap on .todo-main toggled it").isTrue();
    }

    @Test
    void renderTakesAPackageOrADirectoryNotARelease() {
        CliRun r = render("render", "com.example.shop", "--from", "https://platform.example.com", "--trust-platform", tmp.resolve("t.json").toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("render takes a package or a directory");
        CliRun unsigned = render("render", SHOP, "--out", tmp.resolve("p.html").toString());
        assertThat(unsigned.code()).isEqualTo(ExitCode.USAGE);
        assertThat(unsigned.err()).contains("--dev");
    }

    @Test
    void aPageThatCannotBeWrittenIsExit1() {
        CliRun r = render("render", SHOP, "--dev", "--isolation", "in-process", "--out", tmp.resolve("no/such/dir/p.html").toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err()).contains("cannot write");
    }
}
