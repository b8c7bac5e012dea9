package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModuleCompilerTest {
    @Test
    void aCommonJsScriptIsLeftAsItIs() {
        assertThat(ModuleCompiler.compile("a.js", "const x = require('./b');\nmodule.exports = x;"))
                .isEqualTo(new ModuleCompiler.Result.CommonJs());
    }

    @Test
    void aScriptWithoutImportsOrExportsIsNotCompiledEvenIfItParsesAsAModule() {
        assertThat(ModuleCompiler.compile("a.js", "var a = 1;")).isEqualTo(new ModuleCompiler.Result.CommonJs());
    }

    @Test
    void anEsModuleBecomesCommonJsLineForLine() {
        String source = "import a, { b as c } from './a';\nimport * as ns from './n';\n\nexport default function f() { return a + c + ns.x; }\nexport const k = 1;\nexport * from './r';\n";
        var result = ModuleCompiler.compile("m.js", source);
        assertThat(result).isInstanceOf(ModuleCompiler.Result.Compiled.class);
        String code = ((ModuleCompiler.Result.Compiled) result).code();
        assertThat(code).contains("require('./a')").contains("__esModule").contains("exports.default = f").doesNotContain("import ");
        assertThat(code.lines().count()).isEqualTo(source.lines().count());
        assertThat(code.lines().toList().get(4)).contains("k = 1");
    }

    @Test
    void aSyntaxErrorInAnEsModuleIsOneLineWithTheOriginalPosition() {
        var result = ModuleCompiler.compile("pages/m.js", "import a from './a';\nexport const x = 1;\nconst = 2;\n");
        assertThat(result).isInstanceOf(ModuleCompiler.Result.Failed.class);
        assertThat(((ModuleCompiler.Result.Failed) result).text()).startsWith("pages/m.js:3:").doesNotContain("\n");
    }

    @Test
    void aSyntaxErrorInACommonJsScriptNamesItsLineAndColumn() {
        var result = ModuleCompiler.compile("a.js", "var x = ;");
        assertThat(((ModuleCompiler.Result.Failed) result).text()).startsWith("a.js:1:9 ");
    }

    @Test
    void aTopLevelAwaitIsRefusedAsWeChatsToolsRefuseIt() {
        var result = ModuleCompiler.compile("a.js", "import a from './a';\nawait a;\n");
        // CommonJS has no top-level await: the engine's module grammar refuses it, as the compiled output would be.
        assertThat(((ModuleCompiler.Result.Failed) result).text()).startsWith("a.js:2:1 ");
    }

    @Test
    void aHostilePathIsEscapedInTheErrorLine() {
        var result = ModuleCompiler.compile("a\u2028b\n.js", "import a from './a';\nexport const = 1;");
        assertThat(((ModuleCompiler.Result.Failed) result).text()).doesNotContain("\n").doesNotContain("\u2028").contains(":2:");
    }

    @Test
    void aTypeScriptSourceLosesItsTypesAndTypeOnlyImportsLineForLine() {
        String source = "import type { Shape } from './shape';\nimport { Options, make } from './make';\n"
                + "interface Local { n: number }\nconst o: Options = { n: 1 } as Options;\n"
                + "export function area(s: Shape, l: Local): number {\n  return make(s) * l.n;\n}\nenum Colour { Red, Green }\nexport const red = Colour.Red;\n";
        var result = ModuleCompiler.compileTypeScript("utils/area.ts", source);
        assertThat(result).isInstanceOf(ModuleCompiler.Result.Compiled.class);
        String code = ((ModuleCompiler.Result.Compiled) result).code();
        assertThat(code).doesNotContain("./shape").doesNotContain("interface").doesNotContain(": number").doesNotContain("import ")
                .contains("require('./make')").contains("exports.area = area").contains("__esModule");
        assertThat(code.lines().count()).isEqualTo(source.lines().count());
        assertThat(code.lines().toList().get(5)).contains("return").contains("make");
    }

    @Test
    void aTypeScriptScriptWithoutImportsOrExportsIsStillCompiled() {
        var result = ModuleCompiler.compileTypeScript("app.ts", "const n: number = 1;\nApp({ n } as any);\n");
        String code = ((ModuleCompiler.Result.Compiled) result).code();
        assertThat(code).doesNotContain(": number").doesNotContain(" as any").contains("App({ n }");
        assertThat(code.lines().count()).isEqualTo(2);
    }

    @Test
    void aSyntaxErrorInATypeScriptSourceIsOneLineWithItsPosition() {
        var result = ModuleCompiler.compileTypeScript("pages/a.ts", "const a: number = 1;\nexport const b: = 2;\n");
        assertThat(result).isInstanceOf(ModuleCompiler.Result.Failed.class);
        assertThat(((ModuleCompiler.Result.Failed) result).text()).startsWith("pages/a.ts:2:").doesNotContain("\n");
    }

    @Test
    void typeScriptSyntaxInAJavaScriptFileIsStillAnError() {
        var result = ModuleCompiler.compile("a.js", "export const b: number = 2;\n");
        assertThat(result).isInstanceOf(ModuleCompiler.Result.Failed.class);
    }
}
