package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.build.MiniProgramBuild;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ES modules compiled at build time run as WeChat's tools make them run, in both tiers: Babel-style
 * interop between {@code import} and {@code require} in both directions, default, named and
 * namespace imports, re-exports, {@code export default function}, cycles, and the original line
 * numbers in errors.
 */
class EsModuleTest {
    /** The default test app's files plus {@code pathsAndContents}, built (ES modules compiled) and packed. */
    private static CapsulePackage built(String... pathsAndContents) {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes(TestApps.MANIFEST));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", bytes("App({})"));
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], bytes(pathsAndContents[i + 1]));
        }
        try {
            return PackageReader.read(Packer.pack(MiniProgramBuild.compile(files).files(), PackageLimits.DEFAULTS));
        } catch (Exception e) {
            throw new AssertionError("test app does not build: " + e.getMessage(), e);
        }
    }

    private static List<String> logs(Isolation tier, CapsulePackage pkg) {
        try (var run = Tiers.harness(tier).run(pkg)) {
            return run.events().logs();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void requireOfAnEsModuleSeesEsModuleDefaultAndNamedExports(Isolation tier) {
        List<String> logs = logs(tier, built(
                "pages/index/index.js", "const m = require('../../esm');\nconsole.log(m.__esModule, m.default(), m.named, Object.keys(m).sort().join());\nPage({})",
                "esm.js", "export default function hello() { return 'hi'; }\nexport const named = 'n';\n"));
        assertThat(logs).contains("true hi n default,named");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void importOfCommonJsGetsModuleExportsAsDefaultAndItsMembersAsNamed(Isolation tier) {
        List<String> logs = logs(tier, built(
                "pages/index/index.js", "import cjs, { a } from '../../cjs';\nimport * as ns from '../../cjs';\n"
                        + "console.log(cjs.a, a, ns.a, ns.default === cjs, typeof cjs);\nPage({})",
                "cjs.js", "module.exports = { a: 1 };"));
        assertThat(logs).contains("1 1 1 true object");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void reExportsAndNamespaceImportsOfEsModules(Isolation tier) {
        List<String> logs = logs(tier, built(
                "pages/index/index.js", "import * as all from '../../barrel';\nimport def, { b, renamed } from '../../barrel';\n"
                        + "console.log(all.a, all.b, all.renamed, b, renamed, def, 'default' in all);\nPage({})",
                "barrel.js", "export * from './a';\nexport { b as renamed, b } from './b';\nexport { default } from './b';\n",
                "a.js", "export const a = 'A';\nexport default 'not re-exported by *';\n",
                "b.js", "export const b = 'B';\nexport default 'Bdef';\n"));
        assertThat(logs).contains("A B B B B Bdef true");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void cyclesSeeHoistedFunctionsAndLiveBindings(Isolation tier) {
        List<String> logs = logs(tier, built(
                "pages/index/index.js", "import { even } from '../../even';\nimport { count } from '../../odd';\n"
                        + "console.log(even(10), even(7), count);\nPage({})",
                "even.js", "import { odd } from './odd';\nexport function even(n) { return n === 0 ? true : odd(n - 1); }\n",
                "odd.js", "import { even } from './even';\nexport let count = 0;\nexport function odd(n) { count++; return n === 0 ? false : even(n - 1); }\n"));
        assertThat(logs).contains("true false 9"); // 5 + 4 calls of odd, seen through the live binding (a copy would say 0)
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anErrorInAnEsModuleNamesTheOriginalLine(Isolation tier) {
        List<String> logs = logs(tier, built(
                "pages/index/index.js", "import { boom } from '../../lib/boom';\n\n\ntry { boom(); } catch (e) { console.log(e.stack.split('\\n').slice(0, 3).join(' | ')); }\nPage({})",
                "lib/boom.js", "import x from './x';\n// a comment\n\nexport function boom() {\n  throw new Error('boom ' + x);\n}\n",
                "lib/x.js", "export default 42;\n"));
        assertThat(logs).anyMatch(l -> l.startsWith("Error: boom 42") && l.contains("lib/boom.js:5:") && l.contains("pages/index/index.js:4:"));
    }
}
