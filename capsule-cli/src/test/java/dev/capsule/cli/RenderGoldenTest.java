package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import dev.capsule.runtime.view.wxss.StyleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden pages: each view fixture ({@code fixtures/view-*}) rendered by {@code capsule render} after its scripted
 * taps is byte-for-byte the file under {@code src/test/resources/golden/render/}, and says what the template,
 * component or style feature means (the test's own assertions over the parsed page, so a golden file cannot
 * record a wrong page). Every page is inert ({@link RenderedPage#assertInert}).
 *
 * <p>A changed renderer changes the goldens: run with {@code -Dcapsule.golden.update=true} to rewrite them, then
 * review the diff. A missing golden file fails (it is never created silently).
 */
class RenderGoldenTest {
    static final Path FIXTURES = FixtureTiersTest.FIXTURES;
    static final Path GOLDEN = RepoPaths.root().resolve("capsule-cli/src/test/resources/golden/render");
    private static final boolean UPDATE = Boolean.getBoolean("capsule.golden.update");

    @TempDir
    Path tmp;

    /** Renders a fixture in this JVM (the process tier gives the same page: FixtureTiersTest compares the streams). */
    RenderedPage render(String golden, String fixture, String... extra) throws IOException {
        Path out = tmp.resolve(golden + ".html");
        List<String> args = new ArrayList<>(List.of("render", FIXTURES.resolve(fixture).toString(), "--dev", "--isolation", "in-process",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRun r = CliRun.oneLineErrors(args.toArray(String[]::new));
        assertThat(r.code()).as("%s%s", r.out(), r.err()).isZero();
        String html = Files.readString(out, StandardCharsets.UTF_8);
        matchGolden(golden, html);
        return RenderedPage.of(html);
    }

    String events(String fixture) {
        return FIXTURES.resolve(fixture).resolve(FixtureTiersTest.EVENTS_FILE).toString();
    }

    private static void matchGolden(String name, String html) throws IOException {
        Path file = GOLDEN.resolve(name + ".html");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, html, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden %s (write it with -Dcapsule.golden.update=true, then review it)", file).exists();
        assertThat(html).as("golden %s", name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void templateFeaturesOnFirstRender() throws IOException {
        RenderedPage page = render("template-first", "view-template");
        assertThat(page.text("#count")).isEqualTo("Count: 0");
        assertThat(page.text("#sum")).isEqualTo("1 / 0 / 0 / even");
        assertThat(page.text("#user")).isEqualTo("Ada likes math and engines (2)");
        assertThat(page.text("#missing")).as("missing paths render empty").isEqualTo("[][][]");
        assertThat(page.text("#literals")).isEqualTo("single double 2 object false");
        assertThat(page.text("#logic")).isEqualTo("yes fallback nullish");
        assertThat(page.text("#entities")).as("entities decoded to text, never markup").isEqualTo("<b>not bold</b> & \"quoted\"");
        assertThat(page.has("#entities b")).isFalse();
        assertThat(page.has("#mode-a")).isTrue();
        assertThat(page.has("#mode-b") || page.has("#mode-other")).isFalse();
        assertThat(page.texts("#block-1, #block-2")).containsExactly("block child one", "block child two");
        assertThat(page.texts(".fruit")).containsExactly("0: apple at 3", "1: pear at 4.5", "2: plum at 0.30000000000000004");
        assertThat(page.texts(".word")).containsExactly("alpha", "beta", "gamma");
        assertThat(page.texts(".cell")).containsExactly("0.0=1", "0.1=2", "1.0=3", "1.1=4");
        assertThat(page.texts(".n")).containsExactly("0", "1", "2");
        assertThat(page.texts(".card-title")).containsExactly("Ada", "dynamic");
        assertThat(page.texts(".badge")).containsExactly("0");
        assertThat(page.has("#never-imported")).as("an import brings templates only").isFalse();
        assertThat(page.text("#footer")).isEqualTo("made with WXML");
        assertThat(page.one("#styled").classNames()).contains("box", "on", "size-32");
    }

    @Test
    void templateFeaturesAfterTapsBySelector() throws IOException {
        RenderedPage page = render("template-tapped", "view-template", "--events", events("view-template"));
        assertThat(page.text("#count")).as("two taps on #inc and one handler call").isEqualTo("Count: 3");
        assertThat(page.text("#sum")).isEqualTo("4 / 6 / -3 / odd");
        assertThat(page.has("#mode-b")).as("data-next-mode reached the handler as dataset.nextMode").isTrue();
        assertThat(page.has("#mode-a")).isFalse();
        assertThat(page.has("#block-1")).isFalse();
        assertThat(page.text("#logic")).isEqualTo("false true nullish");
        // reversed, then the tapped pear (index 1) doubled, then the first removed
        assertThat(page.texts(".fruit")).containsExactly("0: pear at 9", "1: apple at 3");
        assertThat(page.texts(".word")).containsExactly("ALPHA", "beta", "gamma");
        assertThat(page.texts(".badge")).containsExactly("3", "99+");
        assertThat(page.one("#styled").classNames()).contains("off").doesNotContain("on");
        // #inner: outer's capture, inner, middle's mut-bind and bind, outer; #stop: outer's capture, then catch stops it
        assertThat(page.text("#log")).startsWith("7 handler calls: outer-capture,inner,");
        assertThat(page.text("#log")).endsWith(",outer,outer-capture,caught");
    }

    @Test
    void aPageOpenedWithARouteAndQuery() throws IOException {
        RenderedPage page = render("template-list", "view-template", "--route", "pages/list/list?from=golden");
        assertThat(page.text("#from")).isEqualTo("opened from golden");
        assertThat(page.texts(".item")).containsExactly("Item 0", "Item 1", "Item 2", "Item 3", "Item 4");
        assertThat(page.has("#picked")).isFalse();
    }

    @Test
    void customComponentsPropertiesObserversSlotsEventsAndRelations() throws IOException {
        RenderedPage page = render("components", "view-components", "--events", events("view-components"));
        assertThat(page.text("#main-counter .value")).as("the page's total flowed back into the property; observer and behavior ran")
                .isEqualTo("0 (x2 = 0, step 2, touched 2)");
        assertThat(page.text("#main-counter .label")).isEqualTo("main");
        assertThat(page.has("#second-counter")).isFalse();
        assertThat(page.text("#panel .panel-head #icon")).as("named slot").isEqualTo("*");
        assertThat(page.text("#panel .panel-foot #total")).as("second named slot").isEqualTo("total 0");
        assertThat(page.has("#panel .panel-body #main-counter")).as("default slot").isTrue();
        assertThat(page.text("#events")).isEqualTo(
                "7: panel open false,panel open true,change main on main-counter,panel heard 7,change main on main-counter,panel heard 9,reset main");
        assertThat(page.text("#inspected")).isEqualTo("main / 1 counters / 1 tabs");
        assertThat(page.texts(".tab")).containsExactly("one");
        assertThat(page.one("#main-counter .label").classNames()).as("external class mapped to the page's class").contains("strong");
    }

    @Test
    void stylesAreScopedCompiledAndInlined() throws IOException {
        RenderedPage page = render("styles", "view-styles", "--events", events("view-styles"));
        String css = page.css();
        assertThat(css).contains("var(--rpx)").contains(".theme-accent").contains("data:image/png;base64,");
        assertThat(css).doesNotContain("expression", "-moz-binding", "behavior", "tracker.example.com", "evil.example.com");
        assertThat(page.one("#banner").classNames()).contains("banner", "banner-wide");
        assertThat(page.imageSource("#logo")).startsWith("data:image/png;base64,");
        String pageScope = StyleSet.scopeClass("pages/index/index");
        String appScope = StyleSet.scopeClass("app");
        assertThat(page.one("#isolated .box").classNames()).as("isolated: its own scope only")
                .contains(StyleSet.scopeClass("components/isolated/isolated")).doesNotContain(pageScope, appScope);
        assertThat(page.one("#shared .box").classNames()).as("apply-shared: app and page rules reach it")
                .contains(StyleSet.scopeClass("components/shared/shared")).contains(appScope);
    }

    @Test
    void builtInComponentsRichTextAndWxs() throws IOException {
        RenderedPage page = render("builtins", "view-builtins", "--events", events("view-builtins"));
        assertThat(page.text("#money")).isEqualTo("¥12.34");
        assertThat(page.text("#twice")).startsWith("42"); // the module's label: RenderPendingPipeline
        assertThat(page.text("#is-price")).isEqualTo("true false");
        assertThat(page.text("#year")).isEqualTo("2023");
        assertThat(page.text("#hostile")).as("hostile data stays text").isEqualTo("\"><script>alert(7)</script>");
        assertThat(page.text("#switch-state")).isEqualTo("switch on");
        assertThat(page.text("#level")).isEqualTo("level 55");
        assertThat(page.text("#fruit-picker .picker")).isEqualTo("fruit: plum");
        assertThat(page.text("#slide")).isEqualTo("slide 2");
        assertThat(page.imageSource("#icon")).startsWith("data:image/png;base64,");
        assertThat(page.html()).doesNotContain("alert(3)", "alert(4)", "alert(5)", "alert(6)");
    }

    @Test
    void aFormTypedIntoAndSubmitted() throws IOException {
        Path script = CliRun.eventsFile(tmp, "[{\"input\":\"#name\",\"detail\":{\"value\":\"Ada\"}},"
                + "{\"change\":\"#colors\",\"detail\":{\"value\":[\"red\",\"green\"]}},"
                + "{\"submit\":\"#form\",\"detail\":{\"value\":{\"name\":\"Ada\",\"colors\":[\"red\",\"green\"],\"size\":\"s\"}}}]");
        RenderedPage page = render("builtins-form", "view-builtins", "--route", "pages/form/form", "--events", script.toString());
        assertThat(page.text("#hello")).isEqualTo("hello Ada");
        assertThat(page.text("#picked-colors")).isEqualTo("red,green");
        assertThat(page.text("#submitted")).contains("\"name\":\"Ada\"");
    }
}
