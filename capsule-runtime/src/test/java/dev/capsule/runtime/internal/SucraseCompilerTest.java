package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The compiler's own sandbox: its time budget, and a loader that reaches only the pinned packages. */
class SucraseCompilerTest {
    @Test
    void aTransformOverItsBudgetIsCancelledAndTheNextOneStillWorks() {
        String big = "import a from './a';\n" + "export const x = [" + "1, ".repeat(200_000) + "];\n";
        assertThat(SucraseCompiler.transform(big, "big.js", 1)).isEqualTo(new SucraseCompiler.Output.TimedOut());
        assertThat(SucraseCompiler.transform("import a from './a';\nexport default a;\n", "ok.js"))
                .isInstanceOfSatisfying(SucraseCompiler.Output.Code.class, c -> assertThat(c.code()).contains("require('./a')"));
    }

    @Test
    void theLoaderFindsOnlyThePinnedPackages() {
        assertThat(SucraseCompiler.resolve("", "sucrase")).endsWith("/sucrase/3.35.1/dist/index.js");
        assertThat(SucraseCompiler.resolve("", "@jridgewell/gen-mapping")).endsWith("dist/gen-mapping.umd.js");
        // Sucrase's CLI dependencies are excluded from the build: never loadable.
        assertThatThrownBy(() -> SucraseCompiler.resolve("", "commander")).hasMessageContaining("not on the class path");
        assertThatThrownBy(() -> SucraseCompiler.resolve("", "fs")).hasMessageContaining("not on the class path");
    }

    @Test
    void aSucraseErrorCarriesItsPosition() {
        // Valid for GraalJS's module grammar check is not needed here: Sucrase is called directly.
        assertThat(SucraseCompiler.transform("import a from './a';\nexport const = 1;\n", "bad.js"))
                .isInstanceOfSatisfying(SucraseCompiler.Output.Error.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
