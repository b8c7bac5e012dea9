package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.LeftOut;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.BuildResult;
import dev.capsule.runtime.build.MiniProgramBuild;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TypeScript sources as WeChat's developer tools compile them when project.config.json enables the
 * TypeScript plugin ({@code setting.useCompilerPlugins: ["typescript"]}): each {@code .ts} becomes
 * the {@code .js} beside it, line for line, and the package never holds a {@code .ts}; without the
 * opt-in they are left out as before.
 */
class TypeScriptBuildTest {
    private static final String OPT_IN = "{\"setting\":{\"useCompilerPlugins\":[\"typescript\"]}}";

    @TempDir
    Path tmp;

    /** A TypeScript app: app.ts, a page importing a module (types only from another), and declarations. */
    private Path app(String projectConfig) throws Exception {
        Path dir = tmp.resolve("app");
        write(dir, "capsule.json", TestApps.MANIFEST);
        write(dir, "app.json", "{\"pages\":[\"pages/index/index\"]}");
        write(dir, "app.ts", "interface Globals { user: string | null }\nconst globalData: Globals = { user: null };\nApp({ globalData });\n");
        write(dir, "types/model.ts", "export interface Word { text: string; score: number }\n");
        write(dir, "typings/wx.d.ts", "declare const wx: any;\n");
        write(dir, "utils/words.ts", """
                import type { Word } from '../types/model';

                export function best(words: Word[]): Word {
                  if (words.length === 0) {
                    throw new Error('no words');
                  }
                  return words.reduce((a, b) => (a.score >= b.score ? a : b));
                }
                """);
        write(dir, "pages/index/index.ts", """
                import { best } from '../../utils/words';
                import { Word } from '../../types/model';
                const words: Word[] = [{ text: 'a', score: 1 }, { text: 'b', score: 2 }];
                Page({
                  onLoad() {
                    console.log('best ' + best(words).text);
                    try { best([]); } catch (e) { console.log(String((e as Error).stack).split('\\n').slice(0, 3).join(' | ')); }
                  },
                });
                """);
        if (projectConfig != null) {
            write(dir, "project.config.json", projectConfig);
        }
        return dir;
    }

    private static void write(Path dir, String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @Test
    void withTheTypeScriptPluginEachTsSourceIsPackedAsTheJsBesideItAndNeverAsTs() throws Exception {
        BuildResult built = MiniProgramBuild.build(app(OPT_IN), PackageLimits.DEFAULTS);
        CapsulePackage pkg = PackageReader.read(built.archive());
        assertThat(pkg.paths()).contains("app.js", "pages/index/index.js", "utils/words.js", "types/model.js")
                .noneMatch(p -> p.endsWith(".ts"));
        assertThat(built.fromTypeScript()).containsExactly("app.js", "pages/index/index.js", "types/model.js", "utils/words.js");
        assertThat(built.compiled()).containsAll(built.fromTypeScript());
        assertThat(built.leftOut()).containsExactly(new LeftOut("typings/wx.d.ts", LeftOut.Why.TYPE_DECLARATIONS));
        String page = new String(pkg.file("pages/index/index.js"), StandardCharsets.UTF_8);
        // The type-only import is elided: requiring types/model at run time would be a module with no value.
        assertThat(page).contains("require('../../utils/words')").doesNotContain("types/model").doesNotContain("Word[]");
        assertThat(page.lines().count()).isEqualTo(Files.readString(tmp.resolve("app/pages/index/index.ts")).lines().count());
    }

    @Test
    void withoutTheOptInTsSourcesAreLeftOutSayingWhyAndTheAppHasNoPages() throws Exception {
        Path dir = app(null);
        // Without the plugin, WeChat's tools would upload no page script either: the package check names the missing page.
        Exception e = catchThrowableOfType(Exception.class, () -> MiniProgramBuild.build(dir, PackageLimits.DEFAULTS));
        assertThat(e).hasMessageContaining("pages/index/index");
        write(dir, "app.js", "App({})");
        write(dir, "pages/index/index.js", "Page({})");
        BuildResult built = MiniProgramBuild.build(dir, PackageLimits.DEFAULTS);
        assertThat(built.fromTypeScript()).isEmpty();
        assertThat(built.leftOut()).extracting(LeftOut::path).containsExactly("app.ts", "pages/index/index.ts", "types/model.ts",
                "typings/wx.d.ts", "utils/words.ts");
        assertThat(built.leftOut()).filteredOn(l -> !l.path().endsWith(".d.ts")).extracting(LeftOut::why)
                .containsOnly(LeftOut.Why.TYPESCRIPT_OFF);
    }

    @Test
    void aTsSourceBesideAJsOfTheSameNameIsAClearError() throws Exception {
        Path dir = app(OPT_IN);
        write(dir, "utils/words.js", "module.exports = {};\n");
        BuildException e = catchThrowableOfType(BuildException.class, () -> MiniProgramBuild.build(dir, PackageLimits.DEFAULTS));
        assertThat(e.getMessage()).isEqualTo("utils/words.ts:1:1 both utils/words.ts and utils/words.js exist: WeChat's TypeScript plugin"
                + " compiles utils/words.ts to utils/words.js; remove one of them");
    }

    @Test
    void aSyntaxErrorInATsSourceIsOneLineWithItsFileLineAndColumn() throws Exception {
        Path dir = app(OPT_IN);
        write(dir, "utils/words.ts", "export const a: number = 1;\n\nexport function f(x: number {\n  return x;\n}\n");
        BuildException e = catchThrowableOfType(BuildException.class, () -> MiniProgramBuild.build(dir, PackageLimits.DEFAULTS));
        assertThat(e.path()).isEqualTo("utils/words.ts");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("utils/words.ts:3:").doesNotContain("\n");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anErrorOnLineNOfATsSourceIsReportedAtLineNOfItsJs(Isolation tier) throws Exception {
        CapsulePackage pkg = PackageReader.read(MiniProgramBuild.build(app(OPT_IN), PackageLimits.DEFAULTS).archive());
        List<String> logs;
        try (var run = Tiers.harness(tier).run(pkg)) {
            logs = run.events().logs();
        }
        assertThat(logs).contains("best b");
        // utils/words.ts throws on its line 5, called from line 7 of pages/index/index.ts: the compiled .js files keep both lines.
        assertThat(logs).anyMatch(l -> l.startsWith("Error: no words") && l.contains("utils/words.js:5:") && l.contains("pages/index/index.js:7:"));
    }
}
