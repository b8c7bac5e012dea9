package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewSnapshot;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Component behaviour WeChat has that the first view layer lacked: {@code pageLifetimes.resize} on the
 * page's resize event, the {@code error} lifetime, and an instance's {@code id} and {@code dataset}.
 */
class ComponentGapsTest {
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";

    private static CapsulePackage app(String pageWxml, String pageJs, String componentJs) {
        return TestApps.app(
                "pages/index/index.json", "{\"usingComponents\":{\"probe\":\"/components/probe/probe\"}}",
                "pages/index/index.wxml", pageWxml,
                "pages/index/index.js", LOG + pageJs,
                "components/probe/probe.json", "{\"component\":true}",
                "components/probe/probe.wxml", "<view id=\"inner\">probe</view>",
                "components/probe/probe.js", LOG + componentJs);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aPagesResizeEventReachesItsComponentsPageLifetimesWithThePagesArgument(Isolation tier) {
        String size = "{\"size\":{\"windowWidth\":800,\"windowHeight\":600},\"deviceOrientation\":\"landscape\"}";
        try (var run = Tiers.harness(tier).run(app("<probe></probe>",
                "Page({ onResize(e) { log('page resize', e); } })",
                "Component({ pageLifetimes: { resize(e) { log('component resize', e); } } })"), "gaps-resize-" + tier)) {
            run.dispatch("onResize", "{\"size\":{\"windowWidth\":800}}");
            assertThat(run.events().logs()).as("a refused resize reaches neither").noneMatch(l -> l.contains("resize "));
            run.dispatch("onResize", size);
            assertThat(run.events().logs()).containsSubsequence("page resize " + size, "component resize " + size);
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("component resize")).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUncaughtComponentErrorIsReportedAndReachesItsErrorLifetimeOnce(Isolation tier) {
        CapsulePackage pkg = TestApps.app(
                "app.js", LOG + "App({ onError(e) { log('App.onError', String(e).split('\\n')[0]); } })",
                "pages/index/index.json", "{\"usingComponents\":{\"probe\":\"/components/probe/probe\",\"legacy\":\"/components/legacy/legacy\"}}",
                "pages/index/index.wxml", "<probe></probe><legacy></legacy>",
                "components/probe/probe.json", "{\"component\":true}",
                "components/probe/probe.wxml", "<view id=\"fail\" bindtap=\"fail\">probe</view>",
                "components/probe/probe.js", LOG + """
                        Component({
                          lifetimes: {
                            attached() { throw new Error('boom attached'); },
                            error(e) { log('probe error lifetime', e.message, this.is); }
                          },
                          methods: { fail() { throw new Error('boom tap'); } }
                        })""",
                "components/legacy/legacy.json", "{\"component\":true}",
                "components/legacy/legacy.wxml", "<view id=\"ok\">legacy</view>",
                "components/legacy/legacy.js", LOG + """
                        Component({
                          attached() { throw new Error('legacy attached'); },
                          error(e) { log('legacy error', e.message); throw new Error('error threw'); }
                        })""");
        try (var run = Tiers.harness(tier).run(pkg, "gaps-error-" + tier)) {
            List<String> logs = run.events().logs();
            assertThat(logs).containsSubsequence("App.onError Error: boom attached", "probe error lifetime boom attached components/probe/probe");
            assertThat(logs).anySatisfy(l -> assertThat(l).startsWith("Uncaught Error: boom attached"));
            assertThat(logs).as("the legacy top-level error is the lifetime; what it throws is only reported")
                    .containsSubsequence("App.onError Error: legacy attached", "legacy error legacy attached", "App.onError Error: error threw");
            assertThat(logs).filteredOn(l -> l.startsWith("legacy error")).hasSize(1);
            assertThat(logs).filteredOn(l -> l.startsWith("probe error lifetime")).hasSize(1);

            ViewSnapshot tree = run.session().view().orElseThrow();
            List<ViewNodeId> fail = tree.select("#fail");
            assertThat(fail).hasSize(1);
            run.session().dispatchView(new ViewEvent(fail.getFirst(), "tap", StrictJson.mapper().createObjectNode()));
            run.idle();
            assertThat(run.events().logs()).containsSubsequence("App.onError Error: boom tap", "probe error lifetime boom tap components/probe/probe");
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("probe error lifetime")).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anInstanceHasItsHostElementsIdAndDatasetFromTheOwnersTemplateKeptCurrent(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(
                "<probe id=\"p{{n}}\" data-item-id=\"{{n}}\" data-name=\"x\" data-gone=\"{{missing}}\"></probe><probe></probe>",
                "Page({ data: { n: 7 }, bump() { this.setData({ n: 8 }); },"
                        + " check() { const c = this.selectComponent('#p8'); log('now', c.id, JSON.stringify(c.dataset, Object.keys(c.dataset).sort())); } })",
                "const sorted = d => JSON.stringify(d, Object.keys(d).sort());\n"
                        + "Component({ lifetimes: { created() { log('created', this.id, sorted(this.dataset)); },"
                        + " attached() { log('attached', this.id, sorted(this.dataset)); } } })"), "gaps-id-" + tier)) {
            assertThat(run.events().logs()).containsSubsequence(
                    "created p7 {\"itemId\":7,\"name\":\"x\"}", "attached p7 {\"itemId\":7,\"name\":\"x\"}");
            assertThat(run.events().logs()).as("a host element without id or data-* gives '' and {}")
                    .contains("created  {}", "attached  {}");
            run.dispatch("bump", "{}").dispatch("check", "{}");
            assertThat(run.events().logs()).as("kept current when the owner's template changes them")
                    .contains("now p8 {\"itemId\":8,\"name\":\"x\"}");
        }
    }
}
