package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view-builtins fixture's WXS exported data and rich-text nodes through the whole pipeline ({@code capsule render}:
 * session, ops, view tree, HTML): the two behaviours the render helper found missing in the first round of issue #14,
 * kept under their first name. Each test states WeChat's documented behaviour.
 */
class RenderPendingPipelineTest {
    @TempDir
    Path tmp;

    private RenderedPage builtins() throws IOException {
        Path out = tmp.resolve("builtins.html");
        List<String> args = new ArrayList<>(List.of("render", RenderGoldenTest.FIXTURES.resolve("view-builtins").toString(), "--dev",
                "--isolation", "in-process", "--out", out.toString()));
        CliRun r = CliRun.oneLineErrors(args.toArray(String[]::new));
        assertThat(r.code()).as("%s%s", r.out(), r.err()).isZero();
        return RenderedPage.of(Files.readString(out));
    }

    /** WeChat's WXS example: {@code module.exports = {msg: …}} then {@code {{foo.msg}}}: exported values, not only functions. */
    @Test
    void wxsModuleValuesAreReadableFromTemplates() throws IOException {
        assertThat(builtins().text("#twice")).isEqualTo("42 inline wxs");
    }

    /** rich-text's {@code nodes}, an array or an HTML string, render as the sanitized allowlist: text stays text, script and handlers go. */
    @Test
    void richTextNodesRenderSanitized() throws IOException {
        RenderedPage page = builtins();
        assertThat(page.text("#story")).contains("Rich text", "bold", "<script>alert(1)</script> as text.");
        assertThat(page.has("#story b")).isTrue();
        assertThat(page.text("#story-html")).contains("from a string");
        assertThat(page.html()).doesNotContain("alert(3)", "alert(4)", "alert(5)", "alert(6)");
    }
}
