package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.HostUi;
import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ShownPage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's own navigation, as WeChat's chrome: the navigation bar's back arrow ({@link MiniProgramSession#navigateBack},
 * {@link MiniProgramSession#canGoBack}) and the tab bar ({@link MiniProgramSession#switchTab}), with the page on top as one
 * read ({@link MiniProgramSession#shownPage}); and host services given per launch. The same in both tiers.
 */
class HostNavigationTest {
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";
    private static final String TAB_APP = """
            {"pages":["pages/index/index","pages/b/b","pages/c/c"],
             "tabBar":{"list":[{"pagePath":"pages/index/index","text":"Home"},{"pagePath":"pages/b/b","text":"Cart"}]}}""";
    private static final String HOOKS = "onShow(){ log('show', this.route) }, onHide(){ log('hide', this.route) }, onUnload(){ log('unload', this.route) }, "
            + "onTabItemTap(t){ log('tap', t) }";

    private static Harness.Run run(Isolation tier, String user, String appJson) {
        return Tiers.harness(tier).run(TestApps.app("app.json", appJson,
                "pages/index/index.wxml", "<view>index</view>", "pages/index/index.js", LOG + "Page({" + HOOKS + ", go(){ wx.navigateTo({url: '/pages/c/c'}) }})",
                "pages/b/b.wxml", "<view>b</view>", "pages/b/b.js", LOG + "Page({" + HOOKS + "})",
                "pages/c/c.wxml", "<view>c</view>", "pages/c/c.js", LOG + "Page({" + HOOKS + "})"), user + "-" + tier);
    }

    private static List<String> logsSince(Harness.Run run, int from) {
        List<String> logs = run.events().logs();
        return logs.subList(from, logs.size());
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theBackArrowClosesTheTopPageAndShowsTheOneBelowWithItsOwnId(Isolation tier) {
        try (var run = run(tier, "back", TAB_APP)) {
            ShownPage first = run.session().shownPage().orElseThrow();
            assertThat(first.route()).isEqualTo("pages/index/index");
            assertThat(first.canGoBack()).isFalse();
            run.dispatch("go", "{}");
            ShownPage second = run.session().shownPage().orElseThrow();
            assertThat(second.route()).isEqualTo("pages/c/c");
            assertThat(second.page()).isNotEqualTo(first.page());
            assertThat(second.canGoBack()).isTrue();
            assertThat(run.session().canGoBack()).isTrue();
            int before = run.events().logs().size();

            assertThat(run.session().navigateBack()).isTrue();
            run.idle();

            assertThat(logsSince(run, before)).containsExactly("unload pages/c/c", "show pages/index/index");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
            assertThat(run.session().canGoBack()).isFalse();
            ShownPage again = run.session().shownPage().orElseThrow();
            assertThat(again.page()).isEqualTo(first.page());
            assertThat(again.canGoBack()).isFalse();
            assertThat(again.view().root()).isEqualTo(first.view().root());
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theBackArrowAtTheFirstPageDoesNothing(Isolation tier) {
        try (var run = run(tier, "firstback", TAB_APP)) {
            int before = run.events().logs().size();
            assertThat(run.session().canGoBack()).isFalse();
            assertThat(run.session().navigateBack()).isFalse();
            run.idle();
            assertThat(logsSince(run, before)).isEmpty();
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aTabTapSwitchesToTheTabPageAndCallsItsOnTabItemTap(Isolation tier) {
        try (var run = run(tier, "tab", TAB_APP)) {
            run.dispatch("go", "{}");
            int before = run.events().logs().size();

            run.session().switchTab(1);
            run.idle();

            // switchTab's rules: the non-tab page closes, the tab page opens; then the tap, as WeChat.
            assertThat(logsSince(run, before)).containsExactly("unload pages/c/c", "show pages/b/b",
                    "tap {\"index\":1,\"pagePath\":\"pages/b/b\",\"text\":\"Cart\"}");
            ShownPage shown = run.session().shownPage().orElseThrow();
            assertThat(shown.route()).isEqualTo("pages/b/b");
            assertThat(shown.canGoBack()).isFalse();
            assertThat(shown.view().chrome(ChromeField.TAB_BAR_SELECTED)).contains("1");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aTapOnTheSelectedTabSwitchesNothingAndStillCallsOnTabItemTap(Isolation tier) {
        try (var run = run(tier, "sametab", TAB_APP)) {
            int before = run.events().logs().size();
            run.session().switchTab(0);
            run.idle();
            assertThat(logsSince(run, before)).containsExactly("tap {\"index\":0,\"pagePath\":\"pages/index/index\",\"text\":\"Home\"}");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aTabIndexOutsideTheTabBarIsRefusedBeforeAnythingIsQueued(Isolation tier) {
        try (var run = run(tier, "badtab", TAB_APP); var noTabs = run(tier, "notabs", "{\"pages\":[\"pages/index/index\",\"pages/c/c\"]}")) {
            int before = run.events().logs().size();
            assertThatThrownBy(() -> run.session().switchTab(2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tab index 2 is outside the tab bar's 2 items");
            assertThatThrownBy(() -> run.session().switchTab(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> noTabs.session().switchTab(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("this mini-program has no tab bar");
            run.idle();
            assertThat(logsSince(run, before)).isEmpty();
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aBrowserViewFollowsTheSessionWithAPageAfterEachNavigationAndOpsForEachChange(Isolation tier) {
        var pkg = TestApps.app("app.json", "{\"pages\":[\"pages/index/index\",\"pages/c/c\"]}",
                "pages/index/index.wxml", "<view>{{n}}</view><button bindtap=\"inc\">+</button>",
                "pages/index/index.js", "Page({data:{n:1}, inc(){ this.setData({n: this.data.n + 1}) }, go(){ wx.navigateTo({url: '/pages/c/c'}) }})",
                "pages/c/c.wxml", "<view>c</view>", "pages/c/c.js", "Page({})");
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        try (var run = Tiers.harness(tier).run(pkg, "browser-" + tier)) {
            var browser = new dev.capsule.runtime.view.BrowserView(p -> java.util.Optional.of("/a/" + p), r -> "/css?route=" + r);
            var first = json.readTree(browser.update(run.session().shownPage()).orElseThrow());
            assertThat(first.get("t").stringValue()).isEqualTo("page");
            assertThat(first.get("css").stringValue()).isEqualTo("/css?route=pages/index/index");
            assertThat(first.get("canGoBack").booleanValue()).isFalse();
            assertThat(browser.update(run.session().shownPage())).as("nothing changed").isEmpty();
            var button = run.session().view().orElseThrow().select("button").getFirst();

            run.session().dispatchView(new dev.capsule.runtime.view.ViewEvent(button, "tap", tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
            run.idle();
            var ops = json.readTree(browser.update(run.session().shownPage()).orElseThrow());
            assertThat(ops.get("t").stringValue()).isEqualTo("ops");
            assertThat(ops.get("ops").toString()).contains("{\"op\":\"text\",").contains("\"text\":\"2\"}");

            run.dispatch("go", "{}");
            var second = json.readTree(browser.update(run.session().shownPage()).orElseThrow());
            assertThat(second.get("t").stringValue()).isEqualTo("page");
            assertThat(second.get("route").stringValue()).isEqualTo("pages/c/c");
            assertThat(second.get("canGoBack").booleanValue()).isTrue();

            assertThat(run.session().navigateBack()).isTrue();
            run.idle();
            var back = json.readTree(browser.update(run.session().shownPage()).orElseThrow());
            assertThat(back.get("t").stringValue()).isEqualTo("page");
            assertThat(back.get("route").stringValue()).isEqualTo("pages/index/index");
            assertThat(back.get("canGoBack").booleanValue()).isFalse();
            assertThat(back.get("tree").toString()).isEqualTo(first.get("tree").toString().replace("\"text\":\"1\"", "\"text\":\"2\""));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void servicesGivenAtLaunchReplaceTheRuntimesForThatSessionOnly(Isolation tier) throws Exception {
        List<AuditEvent> audited = new CopyOnWriteArrayList<>();
        HostServices mine = HostServices.defaults().withUi(HostUi.answering(true, 1)).withAudit(audited::add);
        var pkg = TestApps.app("pages/index/index.js", LOG + """
                Page({ onLoad(){ wx.showModal({title: 't', content: 'c', success: r => log('modal', r.confirm)});
                                  wx.showActionSheet({itemList: ['a', 'b'], success: r => log('sheet', r.tapIndex), fail: e => log('sheet', e.errMsg)}); } })""");
        Harness harness = Tiers.harness(tier);
        Recorder mineEvents = new Recorder();
        Recorder defaultEvents = new Recorder();
        try (var own = new Harness.Run(harness.runtime.launchUnverified(pkg, "svc-" + tier, mineEvents, LaunchOptions.DEFAULT, mine), mineEvents).idle();
                var plain = new Harness.Run(harness.runtime.launchUnverified(pkg, "plain-" + tier, defaultEvents, LaunchOptions.DEFAULT), defaultEvents).idle()) {
            assertThat(own.events().logs()).contains("modal true", "sheet 1");
            assertThat(plain.events().logs()).contains("modal false", "sheet showActionSheet:fail cancel");
            own.session().stop(StopReason.REVOKED, "test");
            assertThat(new ArrayList<>(audited)).extracting(AuditEvent::action).contains("session stopped");
            assertThat(audited).allSatisfy(e -> assertThat(e.userId()).isEqualTo("svc-" + tier));
        }
    }
}
