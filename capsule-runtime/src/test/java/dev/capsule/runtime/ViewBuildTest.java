package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.BuildResult;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.runtime.review.Finding;
import dev.capsule.runtime.review.PackageReview;
import dev.capsule.runtime.review.ReviewReport;
import dev.capsule.runtime.view.ViewPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view's pack-time check (one {@link ViewPackage} compile): a template or stylesheet that does not
 * compile refuses the build at its file:line:col, what renders differently is a warning, and the review
 * reports a package built around the check as {@code view.compile}.
 */
class ViewBuildTest {
    @TempDir
    Path tmp;

    private Path app(String wxml, String wxss) throws Exception {
        Path dir = tmp.resolve("app");
        write(dir, "capsule.json", TestApps.MANIFEST);
        write(dir, "app.json", "{\"pages\":[\"pages/index/index\"]}");
        write(dir, "app.js", "App({});\n");
        write(dir, "pages/index/index.js", "Page({});\n");
        write(dir, "pages/index/index.wxml", wxml);
        write(dir, "pages/index/index.wxss", wxss);
        return dir;
    }

    private static void write(Path dir, String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @Test
    void aWellFormedViewBuildsWithoutViewWarnings() throws Exception {
        BuildResult result = MiniProgramBuild.build(app("<view class=\"a\">{{n}}</view>\n", ".a { color: red }\n"), PackageLimits.DEFAULTS);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void aMalformedTemplateRefusesThePackAtItsPosition() throws Exception {
        BuildException e = catchThrowableOfType(BuildException.class,
                () -> MiniProgramBuild.build(app("<view>\n  <text>{{a +}}</text>\n</view>\n", ""), PackageLimits.DEFAULTS));
        assertThat(e.path()).isEqualTo("pages/index/index.wxml");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("pages/index/index.wxml:2:");
    }

    @Test
    void aMalformedStylesheetRefusesThePackAtItsPosition() throws Exception {
        BuildException e = catchThrowableOfType(BuildException.class,
                () -> MiniProgramBuild.build(app("<view/>\n", ".a { color: red }\n.b { color: \n"), PackageLimits.DEFAULTS));
        assertThat(e.path()).isEqualTo("pages/index/index.wxss");
        assertThat(e.line()).isPositive();
    }

    @Test
    void inertTagsDroppedAttributesAndDroppedStylesAreWarnings() throws Exception {
        BuildResult result = MiniProgramBuild.build(app(
                "<view onclick=\"x\">\n<web-view src=\"https://example.com\"/>\n<fancy-thing/>\n</view>\n",
                ".a { behavior: url(x.htc); color: red }\n"), PackageLimits.DEFAULTS);
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("pages/index/index.wxml:1:").contains("onclick").contains("dropped"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("pages/index/index.wxml:2:").contains("web-view").contains("absent"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("pages/index/index.wxml:3:").contains("fancy-thing")
                .contains("inert"));
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("pages/index/index.wxss:1").contains("behavior"));
    }

    @Test
    void theReviewReportsAViewThatDoesNotCompile() throws Exception {
        BuildResult good = MiniProgramBuild.build(app("<view/>\n", ""), PackageLimits.DEFAULTS);
        assertThat(PackageReview.review(good.archive()).findings()).noneMatch(f -> f.rule().equals("view.compile"));
        // a package packed around the check: the same files with a broken template, through the packer directly
        Map<String, byte[]> files = new TreeMap<>();
        var pkg = dev.capsule.core.pkg.PackageReader.read(good.archive());
        pkg.paths().forEach(p -> files.put(p, pkg.file(p)));
        files.put("pages/index/index.wxml", "<view>\n<text></view>\n".getBytes(StandardCharsets.UTF_8));
        ReviewReport report = PackageReview.review(dev.capsule.core.pkg.Packer.pack(files, PackageLimits.DEFAULTS));
        assertThat(report.findings()).filteredOn(f -> f.rule().equals("view.compile")).singleElement()
                .satisfies((Finding f) -> assertThat(f.path()).isEqualTo("pages/index/index.wxml"));
    }
}
