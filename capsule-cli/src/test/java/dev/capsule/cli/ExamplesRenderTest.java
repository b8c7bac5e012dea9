package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example renders to an inert page and responds to taps and inputs through --events selectors. */
class ExamplesRenderTest {
    @TempDir
    Path tmp;

    private RenderedPage render(String example, String events, String... extra) throws Exception {
        Path out = tmp.resolve(example + "-" + System.nanoTime() + ".html");
        List<String> args = new ArrayList<>(List.of("render", RepoPaths.example(example).toString(), "--dev", "--isolation", "in-process",
                "--out", out.toString()));
        if (events != null) {
            args.addAll(List.of("--events", CliRun.eventsFile(tmp, events).toString()));
        }
        args.addAll(List.of(extra));
        CliRun r = CliRun.oneLineErrors(args.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        return RenderedPage.of(Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void todoTypedAddedAndToggled() throws Exception {
        RenderedPage empty = render("todo", null);
        assertThat(empty.text(".empty")).isEqualTo("Nothing to do. Enjoy your day!");
        RenderedPage page = render("todo", "[{\"input\": \"#new-todo\", \"detail\": {\"value\": \"Buy milk\"}}, {\"tap\": \"#add\"},"
                + " {\"input\": \"#new-todo\", \"detail\": {\"value\": \"Call mum\"}}, {\"tap\": \"#add\"}, {\"tap\": \".todo .todo-main\"}]");
        assertThat(page.texts(".todo .title")).containsExactly("Buy milk", "Call mum");
        assertThat(page.texts(".todo .check")).containsExactly("[x]", "[ ]");
        assertThat(page.text(".footer .muted")).isEqualTo("1 left");
        assertThat(page.has(".empty")).isFalse();
    }

    @Test
    void todoAboutPageThroughATapThatNavigates() throws Exception {
        RenderedPage page = render("todo", "[{\"tap\": \".about-link\"}]");
        assertThat(page.text(".heading")).isEqualTo("Todo");
        assertThat(page.text(".about .muted")).isEqualTo("Version 1.0.0");
    }

    @Test
    void weatherCityTappedBecomesTheSelectedOne() throws Exception {
        RenderedPage first = render("weather", null);
        assertThat(first.texts(".city")).containsExactly("Beijing", "Shanghai", "Shenzhen", "Chengdu");
        assertThat(first.texts(".city.selected")).containsExactly("Beijing");
        RenderedPage page = render("weather", "[{\"tap\": \".city[data-city=Shanghai]\"}]");
        assertThat(page.texts(".city.selected")).containsExactly("Shanghai");
    }

    @Test
    void weatherSettingsRadioChange() throws Exception {
        RenderedPage page = render("weather", "[{\"change\": \"radio-group\", \"detail\": {\"value\": \"imperial\"}}]", "--route", "pages/settings/settings");
        assertThat(page.texts(".option")).containsExactly("Metric (°C)", "Imperial (°F)");
        assertThat(page.doc().select(".option:has([role=radio][aria-checked=true])").eachText()).containsExactly("Imperial (°F)");
    }
}
