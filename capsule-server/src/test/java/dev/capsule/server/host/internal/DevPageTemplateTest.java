package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.PackageLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The /dev page before anything built: the build error at its position, escaped, and no device, session or shell
 * script (there is nothing to connect to); the page reloads itself through dev.js once a package builds.
 */
class DevPageTemplateTest {
    @TempDir
    Path dir;

    @Test
    void withoutAPackageThePageShowsTheEscapedErrorAndNoDevice() throws IOException {
        Files.writeString(dir.resolve("capsule.json"), """
                {"id": "com.example.broken", "version": "1.0.0", "name": "Broken", "developer": {"id": "e", "name": "E"},
                 "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []}, "privacy": [], "dependencies": []}""");
        Files.writeString(dir.resolve("app.json"), "{\"pages\": [\"pages/index/index\"]}");
        Files.writeString(dir.resolve("app.js"), "App({});\n");
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"), "Page({});\n");
        Files.writeString(dir.resolve("pages/index/index.wxml"), "<view>\n<text>{{ '<script>alert(1)</script>' + }}</text></view>");
        PreviewSource source = new PreviewSource(dir, PackageLimits.DEFAULTS, Clock.systemUTC());
        PreviewBuild build = source.rebuild().outcome();
        assertThat(build.built()).isEmpty();

        String html = render(build, dir.toString());
        assertThat(html).contains("id=\"capsule-dev-error\"").contains("pages/index/index.wxml:2:")
                .contains("data-build-generation=\"1\"").contains("Nothing to show yet");
        assertThat(html).doesNotContain("<script>alert(1)").doesNotContain("id=\"capsule-device\"")
                .doesNotContain("/shell/shell.js").doesNotContain("data-ws-path").doesNotContain("data-app-id");
        assertThat(html).contains("<script src=\"/shell/dev.js\" defer></script>").contains("Development mode: demo users");
        assertThat(html).doesNotContain("style=").doesNotContain("<style");
    }

    static String render(PreviewBuild build, String directory) {
        var resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        var engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        var context = new Context();
        context.setVariable("build", DevPreviewController.BuildStatus.of(build));
        context.setVariable("directory", directory);
        context.setVariable("demo", true);
        context.setVariable("dev", true);
        return engine.process("shell/dev", context);
    }
}
