package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DynamicImportsTest {
    private static String refusal(String body) {
        return DynamicImports.refusal("m.js", "(function (exports, require, module, __filename, __dirname) {" + body + "\n})");
    }

    @ParameterizedTest
    @ValueSource(strings = {"import('x')", "[...import('d')]", "import /* c */ ('x')", "import//c\n('x')",
        "a = 1;\nimport (`data:text/javascript,1`)", "x(import('y'))", "import <!-- html comment\n('x')",
        "import /*\n*/ --> close comment\n('x')", "import\uFEFF('x')", "import\u2028('x')", "import\u00A0/**/\u00A0('x')",
        "import\u2007('x')", "import\u202F('x')", "import\u3000('x')", "const s = 'data:,1'; import(s)", "import('x', { with: { type: 'json' } })",
        "f = async () => await import('x')", "class A { static { import('x') } }", "x = `${import('q')}`", "if (a) { while (b) { import(c) } }"})
    void refusesEveryImportCall(String body) {
        assertThat(refusal(body)).contains("import() and import.meta are not allowed in mini-programs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Polyglot.import('x')", "a?.import(1)", "myimport(1)", "reimport()", "$import()", "important()",
        "const importer = 1", "import_(1)", "s = 'import(x)'", "// see import('x')\n", "/* import('x') */", "t = `import(${1})`",
        "o = { import(x) { return x } }; o.import(1)", "r = /import\\(/", "<!-- import('x')\n", "x = 1\n--> import('y')\n"})
    void acceptsTheWordOutsideAnImportCall(String body) {
        assertThat(refusal(body)).isNull();
    }

    @Test
    void refusesImportMetaAndTextItCannotParse() {
        assertThat(refusal("x = import.meta.url")).isNotNull();
        assertThat(refusal("exports.x = ;")).startsWith("m.js:1:").doesNotContain("import()").doesNotContain("\n");
        assertThat(refusal("(".repeat(200_000))).isNotNull();
    }

    @Test
    void reportsTheLine() {
        assertThat(refusal("a\nb\n  import('x')")).startsWith("m.js:3: ");
    }

    @Test
    void parsesWithTheLexicalOptionsTheEngineUses() {
        // The check's grammar must be the engine's: GraalJS's defaults for the options a sandboxed
        // context cannot set are pinned here, so an upgrade that changes one fails this test.
        Map<String, Object> expected = Map.of("js.annex-b", DynamicImports.ANNEX_B, "js.scripting", DynamicImports.SCRIPTING,
                "js.syntax-extensions", DynamicImports.SYNTAX_EXTENSIONS, "js.v8-intrinsics", DynamicImports.V8_INTRINSICS,
                "js.shebang", DynamicImports.SHEBANG, "js.nashorn-compat", false, "js.v8-compat", false);
        try (Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            var options = engine.getLanguages().get("js").getOptions();
            expected.forEach((name, value) -> assertThat(options.get(name).getKey().getDefaultValue()).as(name).isEqualTo(value));
        }
        assertThat(DynamicImports.ECMASCRIPT_VERSION).isEqualTo(16);
    }

    @Test
    void staysFastOnLargeInput() {
        String big = "a = 1;\n".repeat(200_000) + "import('late')";
        long start = System.nanoTime();
        assertThat(refusal(big)).startsWith("m.js:200001: ");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
}
