package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
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
}
