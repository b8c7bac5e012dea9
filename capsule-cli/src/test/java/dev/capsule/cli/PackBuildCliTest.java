package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code capsule pack}, {@code run --dev DIR} and {@code review DIR} build a directory the same way
 * (MiniProgramBuild): ES modules compiled to CommonJS line for line, miniprogram_npm resolution, the
 * files left out listed with their reason, a syntax error as one line with the original file:line.
 */
class PackBuildCliTest {
    private static final String MANIFEST = """
            {"id":"com.example.esm","version":"1.0.0","name":"ESM","developer":{"id":"ex","name":"Ex"}}""";

    @TempDir
    Path tmp;

    /** A fixture dir (a WeChat project without capsule.json), copied and given a capsule.json so it packs. */
    private Path fixtureWithManifest(String name) throws IOException {
        Path from = Path.of("src/test/resources/fixtures", name);
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Files.writeString(to.resolve("capsule.json"), MANIFEST, StandardCharsets.UTF_8);
        return to;
    }

    private List<String> runLogs(Path dir) {
        CliRun r = CliRun.oneLineErrors("run", dir.toString(), "--dev", "--json", "--isolation", "in-process");
        assertThat(r.code()).as(r.err()).isZero();
        return r.lines().stream().filter(l -> l.get("type").stringValue().equals("log")).map(l -> l.get("text").stringValue()).toList();
    }

    @Test
    void packCompilesEsModulesToCommonJsAndSaysWhatItLeftOut() throws Exception {
        Path out = tmp.resolve("esm.capsule");
        CliRun r = CliRun.oneLineErrors("pack", fixtureWithManifest("esm-mixed").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "packed com.example.esm 1.0.0: 11 files (7 ES modules compiled), " + Files.size(out) + " bytes -> " + out,
                "left out 2: 1 file type not uploaded, 1 TypeScript not enabled in project.config.json setting.useCompilerPlugins"
                        + " (--list names them)");
        CapsulePackage pkg = PackageReader.read(Files.readAllBytes(out));
        String app = new String(pkg.file("app.js"), StandardCharsets.UTF_8);
        assertThat(app).contains("require('./utils/format')").doesNotContain("import {");
        assertThat(app.lines().count()).isEqualTo(Files.readString(Path.of("src/test/resources/fixtures/esm-mixed/app.js")).lines().count());
        assertThat(new String(pkg.file("utils/legacy.js"), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(Path.of("src/test/resources/fixtures/esm-mixed/utils/legacy.js")));
    }

    @Test
    void packListNamesEveryPackedFileAndEveryLeftOutOneWithItsReasonEscaped() throws Exception {
        Path dir = fixtureWithManifest("esm-mixed");
        Files.writeString(dir.resolve("evil\u2028name\u001b[31m.md"), "x");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("esm.capsule").toString(), "--list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\u2028").doesNotContain("\u001b");
        assertThat(r.out().lines().toList()).contains(
                "packed    app.js  (ES module compiled to CommonJS)",
                "packed    capsule.json",
                "packed    utils/legacy.js",
                "packed    lib/fail.js  (ES module compiled to CommonJS)",
                "left out  README.md  (file type not uploaded)",
                "left out  notes.ts  (TypeScript not enabled in project.config.json setting.useCompilerPlugins)",
                "left out  evil\\u2028name\\u001b[31m.md  (file type not uploaded)",
                "left out 3: 2 file type not uploaded, 1 TypeScript not enabled in project.config.json setting.useCompilerPlugins");
    }

    @Test
    void aSyntaxErrorIsOneLineWithTheOriginalFileLineAndColumnAndExitOne() throws Exception {
        Path dir = fixtureWithManifest("esm-mixed");
        Files.writeString(dir.resolve("lib/even.js"), "import { odd } from './odd';\n\nexport function even(n) {\n  return n === 0 ? true : odd(n - 1;\n}\n");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("x.capsule").toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err().strip()).startsWith("capsule pack: lib/even.js:4:").doesNotContain("\n");
        assertThat(Files.exists(tmp.resolve("x.capsule"))).isFalse();

        CliRun run = CliRun.oneLineErrors("run", dir.toString(), "--dev");
        assertThat(run.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(run.err().strip()).startsWith("capsule run: lib/even.js:4:");
    }

    @Test
    void packCompilesTypeScriptWhenTheProjectEnablesWeChatsPluginAndListsIt() throws Exception {
        Path out = tmp.resolve("ts.capsule");
        CliRun r = CliRun.oneLineErrors("pack", fixtureWithManifest("typescript").toString(), "--out", out.toString(), "--list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).contains(
                "packed com.example.esm 1.0.0: 11 files (5 ES modules compiled, 5 of them from TypeScript), " + Files.size(out)
                        + " bytes -> " + out,
                "packed    app.js  (compiled from TypeScript app.ts)",
                "packed    pages/index/index.js  (compiled from TypeScript pages/index/index.ts)",
                "packed    utils/legacy.js",
                "left out  typings/index.d.ts  (TypeScript declarations)");
        CapsulePackage pkg = PackageReader.read(Files.readAllBytes(out));
        assertThat(pkg.paths()).contains("utils/words.js", "utils/types.js").noneMatch(p -> p.endsWith(".ts"));
        String words = new String(pkg.file("utils/words.js"), StandardCharsets.UTF_8);
        // Type-only imports are elided; lines are kept, so errors name the .ts source's line in the .js.
        assertThat(words).doesNotContain("./types").contains("require('./legacy')").doesNotContain("readonly T[]");
        assertThat(words.lines().count())
                .isEqualTo(Files.readString(Path.of("src/test/resources/fixtures/typescript/utils/words.ts")).lines().count());
    }

    @Test
    void devRunOfTheTypeScriptFixtureReportsErrorsAtTheSourceLineInTheCompiledJs() {
        List<String> logs = runLogs(Path.of("src/test/resources/fixtures/typescript"));
        assertThat(logs).contains(
                "app: launched 1 time, locale en",
                "top: 1. BRICK/Hard/untagged, 2. CLOUD/Hard/sky+weather",
                // utils/words.ts throws on its line 15.
                "error: count must be at least 1, not 0 at utils/words.js:15:13");
    }

    @Test
    void withoutTheTypeScriptPluginPackLeavesTsOutAndSaysWhy() throws Exception {
        Path dir = fixtureWithManifest("typescript");
        Files.writeString(dir.resolve("project.config.json"), "{\"setting\":{\"useCompilerPlugins\":[\"less\"]}}");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("x.capsule").toString(), "--list");
        // WeChat's tools would upload no page script either: the package check names the page without one.
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err().strip()).contains("pages/index/index").doesNotContain("\n");
        Files.writeString(dir.resolve("app.js"), "App({})");
        Files.writeString(dir.resolve("pages/index/index.js"), "Page({})");
        Files.writeString(dir.resolve("pages/detail/detail.js"), "Page({})");
        CliRun ok = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("y.capsule").toString(), "--list");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out().lines().toList()).contains(
                "left out  app.ts  (TypeScript not enabled in project.config.json setting.useCompilerPlugins)",
                "left out  utils/words.ts  (TypeScript not enabled in project.config.json setting.useCompilerPlugins)",
                "left out  typings/index.d.ts  (TypeScript declarations)");
    }

    @Test
    void aTypeScriptSyntaxErrorIsOneLineWithItsFileLineAndColumnAndExitOne() throws Exception {
        Path dir = fixtureWithManifest("typescript");
        Files.writeString(dir.resolve("utils/types.ts"), "export interface Settings {\n  locale: string;\n  pageSize number;\n}\n");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("x.capsule").toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err().strip()).startsWith("capsule pack: utils/types.ts:3:").doesNotContain("\n");
        CliRun run = CliRun.oneLineErrors("run", dir.toString(), "--dev");
        assertThat(run.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(run.err().strip()).startsWith("capsule run: utils/types.ts:3:");
    }

    @Test
    void aTypeScriptSourceBesideAJsOfTheSameNameIsRefused() throws Exception {
        Path dir = fixtureWithManifest("typescript");
        Files.writeString(dir.resolve("utils/words.js"), "module.exports = {};");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("x.capsule").toString());
        assertThat(r.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(r.err().strip()).isEqualTo("capsule pack: utils/words.ts:1:1 both utils/words.ts and utils/words.js exist:"
                + " WeChat's TypeScript plugin compiles utils/words.ts to utils/words.js; remove one of them");
    }

    @Test
    void devRunOfTheMixedModuleFixtureWorksAsWeChatsToolsBuildIt() {
        List<String> logs = runLogs(Path.of("src/test/resources/fixtures/esm-mixed"));
        assertThat(logs).contains(
                "default import of CommonJS: 1.2 1.2",
                "require of an ES module: true QUIET",
                "barrel: hello page X 1.2 1.2",
                "cycle: true false calls 9",
                "app: hello app",
                "error: THROWN ON LINE 6 at lib/fail.js:6:9");
    }

    @Test
    void devRunResolvesMiniprogramNpmAndEnforcesTheSubpackageRule() {
        List<String> logs = runLogs(Path.of("src/test/resources/fixtures/npm-resolution"));
        assertThat(logs).contains(
                "npm: 2026-01-07 from main package",
                "main field and subpath: @demo/strings OK",
                "one module instance: counter 1",
                "require: 'pages/index/index.js' in the main package may not require 'shop/cart/helper.js' in subpackage 'shop' (shop/)"
                        + " (the main package loads without its subpackages)",
                "require: cannot find module 'left-pad' from 'pages/index/index.js'");
    }

    @Test
    void reviewOfADirectoryReviewsTheBuiltCodeAndAnUnbuildableOneIsBlocking() throws Exception {
        Path dir = fixtureWithManifest("esm-mixed");
        CliRun clean = CliRun.oneLineErrors("review", dir.toString(), "--json");
        assertThat(clean.code()).as(clean.out()).isZero();
        JsonNode report = clean.json();
        assertThat(report.toString()).doesNotContain("js.unparsable");

        Files.writeString(dir.resolve("app.js"), "import x from './utils/format';\nApp({ a: x, });;\nexport const = 1;\n");
        CliRun broken = CliRun.oneLineErrors("review", dir.toString());
        assertThat(broken.code()).isEqualTo(ExitCode.REJECTED);
        assertThat(broken.out()).contains("critical package.build app.js:3: the directory does not build: app.js:3:");
    }

    @Test
    void packPrintsAppJsonsPluginWarning() throws Exception {
        Path dir = fixtureWithManifest("esm-mixed");
        Files.writeString(dir.resolve("app.json"),
                "{\"pages\":[\"pages/index/index\"],\"plugins\":{\"chart\":{\"version\":\"1.0.0\",\"provider\":\"wx1234567890abcdef\"}}}");
        CliRun r = CliRun.oneLineErrors("pack", dir.toString(), "--out", tmp.resolve("p.capsule").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("warning: ").contains("chart");

        CliRun without = CliRun.oneLineErrors("pack", fixtureWithManifest("npm-resolution").toString(), "--out", tmp.resolve("n.capsule").toString());
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(without.err()).isEmpty();
    }
}
