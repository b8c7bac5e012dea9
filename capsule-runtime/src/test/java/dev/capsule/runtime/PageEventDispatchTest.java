package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.pkg.CapsulePackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a host may dispatch ({@link PageEvents}): the view's page events with WeChat's checked arguments,
 * ordinary handlers with a view event, and never a lifecycle hook, a share hook or setData, in both tiers.
 */
class PageEventDispatchTest {
    private static final String APP_JSON = """
            {"pages":["pages/index/index","pages/other/other"], "window":{"enablePullDownRefresh":true},
             "tabBar":{"list":[{"pagePath":"pages/index/index","text":"Home"},{"pagePath":"pages/other/other","text":"Other"}]}}""";
    private static final String PAGE = "Page({ onLoad() { console.log('onLoad ran') },"
            + " onShow() { console.log('onShow ran') },"
            + " onPageScroll(e) { console.log('scroll ' + JSON.stringify(e)) },"
            + " onResize(e) { console.log('resize ' + JSON.stringify(e)) },"
            + " onTabItemTap(e) { console.log('tab ' + JSON.stringify(e)) },"
            + " onPullDownRefresh() { console.log('refresh ' + arguments.length) },"
            + " onShareAppMessage() { console.log('share ran'); return {} },"
            + " onTap(e) { console.log('tap ' + e.type + ' ' + JSON.stringify(e.detail)) } })";

    private static CapsulePackage app() {
        return TestApps.app("app.json", APP_JSON, "pages/index/index.js", PAGE, "pages/other/other.js", "Page({})");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void pageEventsGetWeChatsArgumentsChecked(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "page-events-" + tier)) {
            run.dispatch("onPageScroll", "{\"scrollTop\":120}")
                    .dispatch("onResize", "{\"size\":{\"windowWidth\":800,\"windowHeight\":600.5},\"deviceOrientation\":\"landscape\"}")
                    .dispatch("onTabItemTap", "{\"index\":0,\"pagePath\":\"pages/index/index\",\"text\":\"Home\"}")
                    .dispatch("onPullDownRefresh", "{}")
                    .dispatch("onTap", "{\"detail\":{\"x\":1}}");
            assertThat(run.events().logs()).containsSubsequence("scroll {\"scrollTop\":120}",
                    "resize {\"size\":{\"windowWidth\":800,\"windowHeight\":600.5},\"deviceOrientation\":\"landscape\"}",
                    "tab {\"index\":0,\"pagePath\":\"pages/index/index\",\"text\":\"Home\"}",
                    "refresh 0", "tap tap {\"x\":1}");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void lifecycleAndShareHooksAndSetDataAreNeverDispatched(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "page-events-refused-" + tier)) {
            run.dispatch("onLoad", "{}").dispatch("onShow", "{}").dispatch("onShareAppMessage", "{}").dispatch("setData", "{\"x\":1}");
            assertThat(run.events().logs()).filteredOn(l -> l.equals("onLoad ran")).hasSize(1);
            assertThat(run.events().logs()).filteredOn(l -> l.equals("onShow ran")).hasSize(1);
            assertThat(run.events().logs()).doesNotContain("share ran").contains(
                    "dispatch refused: onLoad is a lifecycle hook the runtime runs; it is never dispatched",
                    "dispatch refused: onShareAppMessage runs only when a host shares the page; Capsule has no share sheet, so it is never dispatched",
                    "dispatch refused: setData is the framework's, not an event handler");
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{}");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void pageEventsOfTheWrongShapeRunNothing(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "page-events-bad-" + tier)) {
            run.dispatch("onPageScroll", "{\"scrollTop\":-1}")
                    .dispatch("onPageScroll", "{\"scrollTop\":1,\"extra\":true}")
                    .dispatch("onResize", "{\"size\":{\"windowWidth\":800}}")
                    .dispatch("onTabItemTap", "{\"index\":1,\"pagePath\":\"pages/index/index\",\"text\":\"Home\"}")
                    .dispatch("onPullDownRefresh", "{\"detail\":{}}");
            assertThat(run.events().logs()).noneMatch(l -> l.startsWith("scroll") || l.startsWith("resize") || l.startsWith("tab ")
                    || l.startsWith("refresh"));
            assertThat(run.events().logs()).contains(
                    "dispatch refused: event for onPageScroll: scrollTop must be a number from 0 to 1000000",
                    "dispatch refused: event for onPageScroll: unknown field 'extra' (onPageScroll takes {scrollTop})",
                    "dispatch refused: event for onResize: missing field 'windowHeight' (onResize takes {size: {windowWidth, windowHeight}, deviceOrientation?})",
                    "dispatch refused: onTabItemTap: page pages/index/index is tab item 0 with pagePath pages/index/index",
                    "dispatch refused: event for onPullDownRefresh: unknown field 'detail' (onPullDownRefresh takes no argument)");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aTabTapOnAPageThatIsNoTabIsRefused(Isolation tier) {
        CapsulePackage pkg = TestApps.page(PAGE);
        try (var run = Tiers.harness(tier).run(pkg, "page-events-notab-" + tier)) {
            run.dispatch("onTabItemTap", "{\"index\":0,\"pagePath\":\"pages/index/index\",\"text\":\"Home\"}");
            assertThat(run.events().logs()).contains("dispatch refused: onTabItemTap: page pages/index/index is not a tab page")
                    .noneMatch(l -> l.startsWith("tab "));
        }
    }

    @Test
    void theRulesAreOneCheckForHostsAndTheCli() {
        assertThat(PageEvents.check("onPageScroll", "{\"scrollTop\":1.5}")).isEqualTo(new PageEvents.Checked("onPageScroll", true, "{\"scrollTop\":1.5}"));
        assertThat(PageEvents.check("onReachBottom", null)).isEqualTo(new PageEvents.Checked("onReachBottom", true, null));
        assertThat(PageEvents.check("onAdd", "{\"detail\":{}}").pageEvent()).isFalse();
        assertThatThrownBy(() -> PageEvents.check("onUnload", "{}")).hasMessageContaining("lifecycle hook");
        assertThatThrownBy(() -> PageEvents.check("onAdd", "[1]")).hasMessage("event for onAdd must be a JSON object");
        assertThatThrownBy(() -> PageEvents.check("onPageScroll", "{\"scrollTop\":1e400}")).hasMessageContaining("scrollTop must be a number");
    }
}
