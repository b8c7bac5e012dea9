package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DynamicImportsTest {
    @ParameterizedTest
    @ValueSource(strings = {"import('x')", "[...import('d')]", "import /* c */ ('x')", "import\n.meta.url", "import//c\n('x')",
        "a = 1;\nimport (`data:text/javascript,1`)", "x(import('y'))"})
    void findsDynamicImports(String source) {
        assertThat(DynamicImports.firstLine(source)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Polyglot.import('x')", "a?.import(1)", "myimport(1)", "reimport()", "$import()", "important()",
        "const importer = 1", "import_(1)"})
    void ignoresLookAlikes(String source) {
        assertThat(DynamicImports.firstLine(source)).isZero();
    }

    @Test
    void isConservativeInsideStringsAndComments() {
        // A textual check cannot tell; refusing is the safe side, and the message names file and line.
        assertThat(DynamicImports.firstLine("// see import('x')")).isPositive();
        assertThat(DynamicImports.firstLine("s = 'import(x)'")).isPositive();
    }

    @Test
    void reportsTheLine() {
        assertThat(DynamicImports.firstLine("a\nb\n  import('x')")).isEqualTo(3);
    }

    @Test
    void staysLinearOnHostileInput() {
        String hostile = "import/* ".repeat(200_000) + "x";
        long start = System.nanoTime();
        assertThat(DynamicImports.firstLine(hostile)).isZero();
        String comments = ("import/* import/* import */ ").repeat(100_000);
        assertThat(DynamicImports.firstLine(comments)).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }
}
