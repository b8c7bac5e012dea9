package dev.capsule.core.pkg;

import static dev.capsule.core.pkg.TestPackages.minimalSources;
import static dev.capsule.core.pkg.TestPackages.writeSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.capsule.core.pkg.LeftOut.Why;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Packer#collectSources} packs and what it leaves out, as WeChat's tools upload. */
class CollectSourcesTest {
    @TempDir
    Path tmp;

    private Path sources() throws Exception {
        return writeSources(tmp.resolve("src"), minimalSources());
    }

    private static void write(Path dir, String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void everyWhitelistedFileTypeIsPackedWhateverItsCase() throws Exception {
        Path dir = sources();
        for (String suffix : UploadFileTypes.SUFFIXES) {
            write(dir, "assets/file." + suffix, "x");
        }
        write(dir, "assets/LOUD.PNG", "x");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.leftOut()).isEmpty();
        for (String suffix : UploadFileTypes.SUFFIXES) {
            assertThat(set.files()).containsKey("assets/file." + suffix);
        }
        assertThat(set.files()).containsKey("assets/LOUD.PNG");
    }

    @Test
    void fileTypesWeChatDoesNotUploadAreLeftOutAndReported() throws Exception {
        Path dir = sources();
        for (String name : new String[] {"README.md", "LICENSE", "styles/app.less", "images/photo.webp",
                "fonts/icon.ttf", "package.json.bak", "pages/index/index.js.map", "pages/index/index.tsx"}) {
            write(dir, name, "x");
        }
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files().keySet()).containsExactly("app.js", "app.json", "capsule.json", "pages/index/index.js");
        assertThat(set.leftOut()).extracting(LeftOut::why).containsOnly(Why.FILE_TYPE);
        assertThat(set.leftOut()).extracting(LeftOut::path).containsExactly("LICENSE", "README.md", "fonts/icon.ttf", "images/photo.webp",
                "package.json.bak", "pages/index/index.js.map", "pages/index/index.tsx", "styles/app.less");
    }

    @Test
    void withoutTheTypeScriptPluginTypeScriptIsLeftOutSayingSo() throws Exception {
        Path dir = sources();
        write(dir, "utils/util.ts", "export const a: number = 1;");
        write(dir, "UTILS/LOUD.TS", "export const a: number = 1;");
        write(dir, "typings/wx.d.ts", "declare const wx: any;");
        write(dir, "project.config.json", "{\"setting\":{\"useCompilerPlugins\":[\"sass\"]}}");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files().keySet()).noneMatch(SourceSet::typeScript);
        assertThat(set.leftOut()).containsExactly(new LeftOut("UTILS/LOUD.TS", Why.TYPESCRIPT_OFF),
                new LeftOut("typings/wx.d.ts", Why.TYPE_DECLARATIONS), new LeftOut("utils/util.ts", Why.TYPESCRIPT_OFF));
        assertThat(Why.TYPESCRIPT_OFF.description()).contains("useCompilerPlugins");
    }

    @Test
    void theTypeScriptPluginMakesTsFilesSourcesToCompileButNeverDeclarations() throws Exception {
        Path dir = sources();
        write(dir, "utils/util.ts", "export const a: number = 1;");
        write(dir, "typings/wx.d.ts", "declare const wx: any;");
        write(dir, "project.config.json", "{\"setting\":{\"es6\":true,\"useCompilerPlugins\":[\"typescript\",{\"name\":\"sass\"}]}}");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files()).containsKey("utils/util.ts");
        assertThat(set.leftOut()).containsExactly(new LeftOut("typings/wx.d.ts", Why.TYPE_DECLARATIONS));
        // The sources still hold TypeScript: only a build that compiles it may pack them.
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.pack(set.files(), PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.UNCOMPILED_SOURCE);
        assertThat(e.getMessage()).contains("'utils/util.ts' is TypeScript").contains("utils/util.js");
    }

    @Test
    void useCompilerPluginsThatIsNotAListIsAClearErrorNeverOff() throws Exception {
        Path dir = sources();
        write(dir, "project.config.json", "{\"setting\":{\"useCompilerPlugins\":\"typescript\"}}");
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.collectSources(dir, PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST);
        assertThat(e.getMessage()).contains("setting.useCompilerPlugins").contains("must be an array");
        write(dir, "project.config.json", "{\"setting\":{\"useCompilerPlugins\":true}}");
        assertThat(catchThrowableOfType(PackageException.class, () -> Packer.collectSources(dir, PackageLimits.DEFAULTS)).reason())
                .isEqualTo(Reason.INVALID_MANIFEST);
    }

    @Test
    void useCompilerPluginsFalseAsWeChatsToolsWriteItIsOff() throws Exception {
        Path dir = sources();
        write(dir, "project.config.json", "{\"setting\":{\"useCompilerPlugins\":false}}");
        write(dir, "utils/x.ts", "export const x: number = 1;");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files()).doesNotContainKey("utils/x.ts");
        assertThat(set.leftOut()).contains(new LeftOut("utils/x.ts", LeftOut.Why.TYPESCRIPT_OFF));
    }

    @Test
    void compiledPathIsTheJsBesideTheSource() {
        assertThat(SourceSet.compiledPath("pages/index/index.ts")).isEqualTo("pages/index/index.js");
        assertThat(SourceSet.typeScript("a.js")).isFalse();
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> SourceSet.compiledPath("a.js"))).isNotNull();
    }

    @Test
    void eachLeftOutPathSaysWhy() throws Exception {
        Path dir = sources();
        write(dir, ".env", "TOKEN=1");
        write(dir, ".git/config", "secret");
        write(dir, "node_modules/dayjs/index.js", "module.exports={}");
        write(dir, "components/node_modules/x/index.js", "module.exports={}");
        write(dir, "miniprogram_npm/dayjs/index.js", "module.exports={}");
        write(dir, "miniprogram_npm/dayjs/README.md", "docs");
        write(dir, "cloudfunctions/login/index.js", "exports.main=()=>1");
        write(dir, "docs/notes.json", "{}");
        write(dir, "design.psd.png", "big");
        write(dir, "project.config.json", """
                {"appid":"wx123","cloudfunctionRoot":"cloudfunctions/",
                 "packOptions":{"ignore":[{"type":"folder","value":"docs"},{"type":"suffix","value":".psd.png"}]}}""");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files().keySet()).containsExactly("app.js", "app.json", "capsule.json", "miniprogram_npm/dayjs/index.js",
                "pages/index/index.js", "project.config.json");
        assertThat(set.leftOut()).containsExactly(
                new LeftOut(".env", Why.HIDDEN),
                new LeftOut(".git/", Why.HIDDEN),
                new LeftOut("cloudfunctions/", Why.CLOUD_FUNCTIONS),
                new LeftOut("components/node_modules/", Why.NODE_MODULES),
                new LeftOut("design.psd.png", Why.IGNORED),
                new LeftOut("docs/", Why.IGNORED),
                new LeftOut("miniprogram_npm/dayjs/README.md", Why.FILE_TYPE),
                new LeftOut("node_modules/", Why.NODE_MODULES));
    }

    @Test
    void withoutCloudfunctionRootAFolderOfThatNameIsPackedLikeAnyOther() throws Exception {
        Path dir = sources();
        write(dir, "cloudfunctions/login/index.js", "exports.main=()=>1");
        write(dir, "project.config.json", "{\"appid\":\"wx123\"}");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.files()).containsKey("cloudfunctions/login/index.js");
        assertThat(set.leftOut()).isEmpty();
    }

    @Test
    void theCloudFunctionRootMayBeWrittenWithoutTheSlashOrWithDotSlash() throws Exception {
        for (String root : new String[] {"cloud", "./cloud", "cloud/"}) {
            Path dir = writeSources(tmp.resolve("src-" + root.replace('/', '_').replace('.', '_')), minimalSources());
            write(dir, "cloud/fn/index.js", "1");
            write(dir, "project.config.json", "{\"cloudfunctionRoot\":\"" + root + "\"}");
            assertThat(Packer.collectSources(dir, PackageLimits.DEFAULTS).leftOut()).as(root)
                    .containsExactly(new LeftOut("cloud/", Why.CLOUD_FUNCTIONS));
        }
    }

    @Test
    void aProjectWithAMiniprogramRootPacksThatFolderAndLeavesItsCloudFunctionsBeside() throws Exception {
        Path project = tmp.resolve("project");
        writeSources(project.resolve("miniprogram"), minimalSources());
        write(project, "miniprogram/docs/a.json", "{}");
        write(project, "cloudfunctions/login/index.js", "exports.main=()=>1");
        write(project, "project.config.json", """
                {"miniprogramRoot":"./miniprogram/","cloudfunctionRoot":"cloudfunctions/",
                 "packOptions":{"ignore":[{"type":"folder","value":"docs"}]}}""");
        SourceSet set = Packer.collectSources(project, PackageLimits.DEFAULTS);
        // Paths are relative to the mini-program's folder, and so are packOptions.ignore's.
        assertThat(set.files().keySet()).containsExactly("app.js", "app.json", "capsule.json", "pages/index/index.js");
        assertThat(set.leftOut()).containsExactly(new LeftOut("docs/", Why.IGNORED));
        assertThat(PackageReader.read(Packer.pack(project)).app().entryPage()).isEqualTo("pages/index/index");
    }

    @Test
    void aMiniprogramRootOutsideTheProjectIsRefused() throws Exception {
        Path project = sources();
        writeSources(tmp.resolve("elsewhere"), minimalSources());
        for (String root : new String[] {"../elsewhere", "/etc", "missing"}) {
            write(project, "project.config.json", "{\"miniprogramRoot\":\"" + root + "\"}");
            PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.collectSources(project, PackageLimits.DEFAULTS));
            assertThat(e).as(root).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST);
            assertThat(e.getMessage()).contains("miniprogramRoot");
        }
        Files.createSymbolicLink(project.resolve("linked"), tmp.resolve("elsewhere"));
        write(project, "project.config.json", "{\"miniprogramRoot\":\"linked\"}");
        assertThat(catchThrowableOfType(PackageException.class, () -> Packer.collectSources(project, PackageLimits.DEFAULTS)).getMessage())
                .contains("is not a folder inside the project");
    }

    @Test
    void packOptionsIgnoreMatchesIgnoringCaseAsWeChatDoes() throws Exception {
        Path dir = sources();
        write(dir, "Docs/Guide.json", "{}");
        write(dir, "images/Banner.PNG", "x");
        write(dir, "utils/Mock.js", "x");
        write(dir, "utils/real.js", "x");
        write(dir, "project.config.json", """
                {"packOptions":{"ignore":[{"type":"folder","value":"docs"},{"type":"suffix","value":".png"},
                 {"type":"regexp","value":"MOCK\\\\.JS$"}]}}""");
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.leftOut()).containsExactly(new LeftOut("Docs/", Why.IGNORED), new LeftOut("images/Banner.PNG", Why.IGNORED),
                new LeftOut("utils/Mock.js", Why.IGNORED));
        assertThat(set.files()).containsKey("utils/real.js");
    }

    @Test
    void leftOutFilesDoNotCountAgainstTheLimits() throws Exception {
        Path dir = sources();
        write(dir, "docs/huge.md", "x".repeat(PackageLimits.FILE_BYTES_MAX + 1));
        SourceSet set = Packer.collectSources(dir, PackageLimits.DEFAULTS);
        assertThat(set.leftOut()).containsExactly(new LeftOut("docs/huge.md", Why.FILE_TYPE));
        assertThat(PackageReader.read(Packer.pack(set.files(), PackageLimits.DEFAULTS)).paths()).doesNotContain("docs/huge.md");
    }

    @Test
    void aDirectoryThatIsMostlyNotAMiniProgramIsAClearError() throws Exception {
        Path dir = sources();
        Files.createDirectories(dir.resolve("notes"));
        for (int i = 0; i <= SourceWalk.LEFT_OUT_MAX; i++) {
            Files.writeString(dir.resolve("notes/" + i + ".txt"), "");
        }
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.collectSources(dir, PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(e.getMessage()).contains("more than " + SourceWalk.LEFT_OUT_MAX + " files and folders left out");
    }

    @Test
    void aSymlinkIsRefusedWhateverItsName() throws Exception {
        Path dir = sources();
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));
        PackageException e = catchThrowableOfType(PackageException.class, () -> Packer.collectSources(dir, PackageLimits.DEFAULTS));
        assertThat(e.reason()).isEqualTo(Reason.NOT_REGULAR_FILE);
    }
}
