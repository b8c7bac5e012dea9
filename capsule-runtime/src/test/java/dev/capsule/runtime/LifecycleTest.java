package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** App/Page lifecycle and navigation in WeChat's order; setData; events; require. */
class LifecycleTest {
    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = new Harness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static final String TWO_PAGES_APP_JSON = "{\"pages\":[\"pages/a/a\",\"pages/b/b\",\"pages/t/t\"],"
            + "\"tabBar\":{\"list\":[{\"pagePath\":\"pages/a/a\",\"text\":\"A\"},{\"pagePath\":\"pages/t/t\",\"text\":\"T\"}]}}";

    private static String page(String name) {
        return "Page({onLoad(q){console.log('" + name + ".onLoad ' + JSON.stringify(q))}, onShow(){}, onReady(){}, onHide(){}, onUnload(){},"
                + " go(e){ wx.navigateTo({url: e.detail.url}) }, back(){ wx.navigateBack() }, redirect(e){ wx.redirectTo({url: e.detail.url}) },"
                + " tab(e){ wx.switchTab({url: e.detail.url}) }, relaunch(e){ wx.reLaunch({url: e.detail.url}) } })";
    }

    private static Harness.Run twoPages() {
        return harness.run(TestApps.app("app.json", TWO_PAGES_APP_JSON, "pages/a/a.js", page("a"), "pages/b/b.js", page("b"),
                "pages/t/t.js", page("t"), "app.js", "App({onLaunch(o){}, onShow(o){}, globalData:{x:1}})"));
    }

    @Test
    void launchRunsAppThenFirstPageInWeChatOrder() {
        try (var run = twoPages()) {
            assertThat(run.events().lifecycle()).containsExactly(
                    "app.onLaunch", "app.onShow", "pages/a/a.onLoad", "pages/a/a.onShow", "pages/a/a.onReady");
            assertThat(run.events().all().getFirst()).isInstanceOf(RuntimeEvent.Launch.class);
        }
    }

    @Test
    void navigateToHidesThenLoadsAndBackUnloadsThenShows() {
        try (var run = twoPages()) {
            int before = run.events().lifecycle().size();
            run.dispatch("go", "{\"detail\":{\"url\":\"/pages/b/b?id=7&q=a%20b\"}}");
            assertThat(run.events().lifecycle().subList(before, run.events().lifecycle().size())).containsExactly(
                    "pages/a/a.onHide", "pages/b/b.onLoad", "pages/b/b.onShow", "pages/b/b.onReady");
            assertThat(run.events().logs()).contains("b.onLoad {\"id\":\"7\",\"q\":\"a b\"}");
            assertThat(run.session().currentRoute()).isEqualTo("pages/b/b");
            int mid = run.events().lifecycle().size();
            run.dispatch("back", "{}");
            assertThat(run.events().lifecycle().subList(mid, run.events().lifecycle().size())).containsExactly(
                    "pages/b/b.onUnload", "pages/a/a.onShow");
            assertThat(run.session().currentRoute()).isEqualTo("pages/a/a");
        }
    }

    @Test
    void redirectUnloadsTheCurrentPage() {
        try (var run = twoPages()) {
            run.dispatch("go", "{\"detail\":{\"url\":\"/pages/b/b\"}}");
            int before = run.events().lifecycle().size();
            run.dispatch("relaunch", "{\"detail\":{\"url\":\"/pages/b/b\"}}");
            assertThat(run.events().lifecycle().subList(before, run.events().lifecycle().size()))
                    .startsWith("pages/b/b.onUnload", "pages/a/a.onUnload").endsWith("pages/b/b.onLoad", "pages/b/b.onShow", "pages/b/b.onReady");
        }
    }

    @Test
    void switchTabClosesNonTabPagesAndKeepsTabPages() {
        try (var run = twoPages()) {
            run.dispatch("go", "{\"detail\":{\"url\":\"/pages/b/b\"}}");
            int before = run.events().lifecycle().size();
            run.dispatch("tab", "{\"detail\":{\"url\":\"/pages/t/t\"}}");
            assertThat(run.events().lifecycle().subList(before, run.events().lifecycle().size()))
                    .containsExactly("pages/b/b.onUnload", "pages/t/t.onLoad", "pages/t/t.onShow", "pages/t/t.onReady");
            int mid = run.events().lifecycle().size();
            run.dispatch("tab", "{\"detail\":{\"url\":\"/pages/a/a\"}}");
            assertThat(run.events().lifecycle().subList(mid, run.events().lifecycle().size()))
                    .containsExactly("pages/t/t.onHide", "pages/a/a.onShow");
        }
    }

    @Test
    void navigationRefusesPagesOutsideAppJsonAndTabRules() {
        try (var run = twoPages()) {
            run.dispatch("go", "{\"detail\":{\"url\":\"/pages/evil/evil\"}}");
            run.dispatch("go", "{\"detail\":{\"url\":\"/pages/t/t\"}}");
            run.dispatch("tab", "{\"detail\":{\"url\":\"/pages/b/b\"}}");
            run.dispatch("back", "{}");
            assertThat(run.events().apis("navigateTo")).extracting(RuntimeEvent.Api::reason)
                    .containsExactly("page \"/pages/evil/evil\" is not found in app.json", "can not navigate to a tabbar page");
            assertThat(run.events().apis("switchTab").getFirst().ok()).isFalse();
            assertThat(run.events().apis("navigateBack").getFirst().reason()).contains("first page");
            assertThat(run.session().currentRoute()).isEqualTo("pages/a/a");
        }
    }

    @Test
    void pageStackIsLimitedToTen() {
        String self = "Page({deeper(){ wx.navigateTo({url:'/pages/index/index'}) }})";
        try (var run = harness.run(TestApps.page(self))) {
            for (int i = 0; i < 10; i++) {
                run.dispatch("deeper", "{}");
            }
            assertThat(run.events().apis("navigateTo")).filteredOn(RuntimeEvent.Api::ok).hasSize(9);
            assertThat(run.events().apis("navigateTo").getLast().reason()).contains("page stack limit");
        }
    }

    @Test
    void setDataAppliesPathKeysAndCallsBack() {
        String script = "Page({data:{list:[{done:false},{done:false}], a:{b:1}}, onLoad(){"
                + " this.setData({'list[1].done': true, 'a.c': 'x', n: 3}, () => console.log('after ' + this.data.list[1].done)); }})";
        try (var run = harness.run(TestApps.page(script))) {
            assertThat(run.events().lastData("pages/index/index"))
                    .isEqualTo("{\"list\":[{\"done\":false},{\"done\":true}],\"a\":{\"b\":1,\"c\":\"x\"},\"n\":3}");
            assertThat(run.events().logs()).contains("after true");
        }
    }

    @Test
    void handlersGetWeChatEventObjects() {
        String script = "Page({tap(e){ console.log(e.type + ' ' + e.currentTarget.dataset.index + ' ' + e.detail.value + ' ' + typeof e.timeStamp + ' ' + e.target.dataset.index) }})";
        try (var run = harness.run(TestApps.page(script))) {
            run.dispatch("tap", "{\"detail\":{\"value\":\"hi\"},\"currentTarget\":{\"dataset\":{\"index\":2}}}");
            assertThat(run.events().logs()).contains("tap 2 hi number 2");
        }
    }

    @Test
    void getAppAndGetCurrentPagesWork() {
        String script = "Page({onLoad(){ console.log(getApp().globalData.x + ' ' + getCurrentPages().length + ' ' + getCurrentPages()[0].route) }})";
        try (var run = harness.run(TestApps.app("pages/index/index.js", script, "app.js", "App({globalData:{x:42}})"))) {
            assertThat(run.events().logs()).contains("42 1 pages/index/index");
        }
    }

    @Test
    void requireIsRelativeCachedAndHandlesCyclesAsNode() {
        try (var run = harness.run(TestApps.app(
                "pages/index/index.js", "const a = require('../../utils/a'); const again = require('/utils/a.js'); Page({onLoad(){ console.log(a.name + ' ' + a.fromB + ' ' + (a === again)) }})",
                "utils/a.js", "exports.name = 'a'; const b = require('./b'); exports.fromB = b.seen;",
                "utils/b.js", "const a = require('./a'); exports.seen = 'b saw ' + a.name;"))) {
            assertThat(run.events().logs()).contains("a b saw a true");
        }
    }

    @Test
    void timersRunInOrderAndCanBeCleared() {
        String script = "Page({onLoad(){ setTimeout(() => console.log('two'), 400); setTimeout(() => console.log('one'), 5);"
                + " const t = setTimeout(() => console.log('never'), 1); clearTimeout(t);"
                + " let n = 0; const i = setInterval(() => { if (++n === 3) { clearInterval(i); console.log('interval 3'); } }, 1); }})";
        try (var run = harness.run(TestApps.page(script))) {
            assertThat(run.events().logs()).containsSubsequence("one", "two").contains("interval 3").doesNotContain("never");
        }
    }

    @Test
    void scriptErrorIsLoggedAndReportedToAppOnError() {
        try (var run = harness.run(TestApps.app("pages/index/index.js", "Page({boom(){ null.x }})",
                "app.js", "App({onError(msg){ console.log('onError: ' + msg) }})"))) {
            run.dispatch("boom", "{}");
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("Uncaught TypeError")).anyMatch(l -> l.startsWith("onError: TypeError"));
            assertThat(run.session().ended()).isFalse();
        }
    }
}
