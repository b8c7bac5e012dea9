package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.net.GuardedHttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Code built from strings never runs, in either tier: every spelling of a dynamic import the grammar
 * allows (HTML-like comments, Unicode spaces Java does not count as whitespace, computed and
 * {@code data:} specifiers) is refused before the engine compiles the module, so the code in the
 * string (which would set a global and write storage) never runs; a module that merely mentions
 * {@code import(} in a string or comment loads.
 */
class DynamicImportTest {
    /** What a loaded data: module would do: leave traces the test looks for. */
    private static final String PAYLOAD = "globalThis.pwned = 1; wx.setStorageSync('pwned', 1);";
    private static final String DATA_URL = "'data:text/javascript,' + encodeURIComponent(" + quote(PAYLOAD) + ")";

    /** Each a module body whose dynamic import the old textual scan did not see, or saw only as text. */
    static final List<String> BYPASSES = List.of(
            "import <!-- an HTML-like comment runs to the end of the line\n(" + DATA_URL + ");",
            "import /*\n*/ --> an HTML-like close comment at the start of a line\n(" + DATA_URL + ");",
            "import\uFEFF/**/\uFEFF(" + DATA_URL + ");",
            "import\u2028/**/\u2028(" + DATA_URL + ");",
            "import\u00A0/**/\u00A0(" + DATA_URL + ");",
            "import\u2007(" + DATA_URL + ");",
            "import\u202F(" + DATA_URL + ");",
            "const spec = ['da', 'ta:text/javascript,'].join('') + encodeURIComponent(" + quote(PAYLOAD) + "); import(spec);",
            "import('data:text/javascript;base64,' + btoa(" + quote(PAYLOAD) + "));",
            "exports.f = async () => `${await import(" + DATA_URL + ")}`; exports.f();",
            "new (class { static { import(" + DATA_URL + ").catch(() => {}); } })();");

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void everyDynamicImportSpellingIsRefusedAndItsCodeNeverRuns(Isolation tier) {
        List<String> files = new ArrayList<>();
        StringBuilder requires = new StringBuilder();
        for (int i = 0; i < BYPASSES.size(); i++) {
            files.addAll(List.of("utils/m" + i + ".js", BYPASSES.get(i)));
            requires.append("try { require('../../utils/m").append(i).append("'); console.log('loaded m").append(i)
                    .append("') } catch (e) { console.log('refused m").append(i).append(' ').append("' + e.name + ': ' + e.message) }\n");
        }
        String page = "Page({ onLoad() {\n" + requires + "setTimeout(() => console.log('pwned ' + typeof globalThis.pwned + ' stored '"
                + " + JSON.stringify(wx.getStorageInfoSync().keys)), 50); } })";
        files.addAll(List.of("pages/index/index.js", page));
        try (var run = Tiers.harness(tier).run(TestApps.app(files.toArray(String[]::new)), "imports-" + tier)) {
            run.idle();
            List<String> logs = run.events().logs();
            for (int i = 0; i < BYPASSES.size(); i++) {
                String prefix = "refused m" + i + " SyntaxError: utils/m" + i + ".js:";
                assertThat(logs).as("module %d", i).anySatisfy(l -> assertThat(l).startsWith(prefix)
                        .contains("import() and import.meta are not allowed in mini-programs"));
            }
            assertThat(logs).noneMatch(l -> l.startsWith("loaded"));
            assertThat(logs).contains("pwned undefined stored []");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theTextImportInAStringOrCommentIsNotRefused(Isolation tier) {
        String module = "// a comment that mentions import('x') and import.meta\n"
                + "/* import ( 'y' ) */ exports.text = 'call import(\"z\") later'; exports.member = { import(x) { return x + 1; } }.import(1);\n"
                + "exports.tpl = `import(${'w'})`;";
        try (var run = Tiers.harness(tier).run(TestApps.app("utils/words.js", module, "pages/index/index.js",
                "Page({ onLoad() { const w = require('../../utils/words'); console.log(w.text + ' ' + w.member + ' ' + w.tpl); } })"), "words-" + tier)) {
            assertThat(run.events().logs()).contains("call import(\"z\") later 2 import(w)");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aRefusedAppJsIsAFailedLaunchWithoutRunningTheCode(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.app("app.js", "App({}); import(" + DATA_URL + ");"), "app-import-" + tier)) {
            run.session().close();
            assertThat(run.events().logs()).anySatisfy(l -> assertThat(l).contains("app.js:1: import() and import.meta are not allowed"))
                    .contains("launch failed: app.js failed or did not call App()");
            assertThat(run.events().lifecycle()).isEmpty();
            assertThat(run.session().exitCode()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aRefusedModuleIsAuditedAsADenial(Isolation tier) {
        List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
        try (Harness h = new Harness(tier, HostServices.defaults().withAudit(audit::add), RuntimeLimits.DEFAULTS, GuardedHttpClient.create(),
                true, WorkerLimits.DEFAULTS.withWorkers(1, 0));
                var run = h.run(TestApps.app("utils/m.js", BYPASSES.getFirst(), "utils/ok.js", "exports.ok = 1;",
                        "pages/index/index.js", "Page({ onLoad() { require('../../utils/ok'); try { require('../../utils/m') } catch (e) {} } })"))) {
            run.idle();
            assertThat(audit).filteredOn(a -> a.action().equals("require")).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("denied");
                assertThat(a.detail()).startsWith("utils/m.js:").contains("import() and import.meta are not allowed");
            });
            assertThat(run.session().ended()).as("a refusal the guest catches ends nothing").isFalse();
        }
    }
}
