package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.pkg.CapsulePackage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WeChat's app lifecycle beyond onLaunch/onShow, in both tiers: launch options and where a launch
 * starts, App.onPageNotFound, App.onError / onUnhandledRejection with their wx listener forms,
 * getApp({allowDefault}), wx.nextTick's ordering, subpackage pages and independent subpackage launches,
 * plugin pages refused.
 */
class AppLifecycleTest {
    private static final String SUBPACKAGES = """
            {"pages":["pages/index/index"],
             "subpackages":[{"root":"shop","pages":["list/list"]},{"root":"solo","name":"solo","pages":["p/p"],"independent":true}]}""";

    // ---- launch options ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void launchOptionsReachOnLaunchThePageAndGetLaunchOptionsSync(Isolation tier) {
        CapsulePackage pkg = TestApps.app(
                "app.js", "wx.onAppShow(o => console.log('appShow ' + JSON.stringify(o))); wx.onAppHide(() => console.log('hidden'));"
                        + " App({ onLaunch(o) { console.log('onLaunch ' + JSON.stringify(o)) } })",
                "pages/index/index.js", "Page({ onLoad(q) { console.log('onLoad ' + JSON.stringify(q));"
                        + " console.log('sync ' + JSON.stringify(wx.getLaunchOptionsSync()));"
                        + " console.log('enter ' + JSON.stringify(wx.getEnterOptionsSync())) } })");
        String expected = "{\"path\":\"pages/index/index\",\"query\":{\"id\":\"7\",\"q\":\"a b\"},\"scene\":1001,\"referrerInfo\":{},\"apiCategory\":\"default\"}";
        try (var run = Tiers.harness(tier).run(pkg, "opts-" + tier, LaunchOptions.parse("/pages/index/index?id=7&q=a%20b"))) {
            assertThat(run.events().logs()).containsSubsequence("onLaunch " + expected, "appShow " + expected, "onLoad {\"id\":\"7\",\"q\":\"a b\"}",
                    "sync " + expected, "enter " + expected).doesNotContain("hidden"); // a session never goes to the background
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aLaunchWithoutOptionsStartsAtTheEntryPageWithTheHeadlessScene(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() { const o = wx.getLaunchOptionsSync(); console.log('at ' + o.path + ' ' + o.scene + ' ' + JSON.stringify(o.query)) } })");
        try (var run = Tiers.harness(tier).run(pkg, "opts-default-" + tier)) {
            assertThat(run.events().logs()).contains("at pages/index/index 1001 {}");
        }
    }

    @Test
    void badLaunchOptionsAreRefusedBeforeAnySession() {
        assertThatThrownBy(() -> new LaunchOptions("pages/a/a", Map.of(), 42)).hasMessageContaining("scene must be 1000-9999");
        assertThatThrownBy(() -> LaunchOptions.parse("pages/a\u0000/a")).hasMessageContaining("printable");
        assertThatThrownBy(() -> LaunchOptions.parse("pages/a/a?k=%zz")).hasMessageContaining("not URL-encoded");
        assertThatThrownBy(() -> LaunchOptions.parse("")).hasMessageContaining("1-1024 characters");
        assertThat(LaunchOptions.parse("/pages/a/a?x=1").path()).isEqualTo("pages/a/a");
    }

    // ---- onPageNotFound ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aMissingLaunchPageRunsOnPageNotFoundWhichMayRedirect(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "wx.onPageNotFound(r => console.log('listener ' + r.path));"
                + " App({ onPageNotFound(r) { console.log('notFound ' + JSON.stringify(r)); wx.redirectTo({ url: '/pages/index/index' }) } })");
        try (var run = Tiers.harness(tier).run(pkg, "notfound-" + tier, LaunchOptions.parse("pages/gone/gone?x=1"))) {
            assertThat(run.session().ended()).isFalse();
            assertThat(run.events().logs()).contains("notFound {\"path\":\"pages/gone/gone\",\"query\":{\"x\":\"1\"},\"isEntryPage\":true}",
                    "listener pages/gone/gone");
            assertThat(run.events().lifecycle()).containsSubsequence("app.onLaunch", "app.onShow", "app.onPageNotFound", "pages/index/index.onLoad");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aMissingLaunchPageThatNoHandlerReplacesFailsTheLaunch(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.app(), "notfound-none-" + tier, LaunchOptions.parse("pages/gone/gone"))) {
            run.session().close();
            assertThat(run.session().exitCode()).isEqualTo(1);
            assertThat(run.events().all().getLast()).isEqualTo(new RuntimeEvent.Exit(1,
                    "launch failed: the launch page pages/gone/gone is not a page of the app, and onPageNotFound opened no page"));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aRedirectToAnotherMissingPageDoesNotRunOnPageNotFoundAgain(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "App({ onPageNotFound(r) { console.log('notFound ' + r.path);"
                + " wx.redirectTo({ url: '/pages/also/gone', fail: e => console.log('redirect ' + e.errMsg) }) } })");
        try (var run = Tiers.harness(tier).run(pkg, "notfound-twice-" + tier, LaunchOptions.parse("pages/gone/gone"))) {
            run.session().close();
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("notFound")).containsExactly("notFound pages/gone/gone");
            assertThat(run.session().exitCode()).isEqualTo(1);
        }
    }

    // ---- plugins ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aPluginLaunchPageFailsBeforeAnyGuestCodeRuns(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "console.log('app.js ran'); App({})");
        try (var run = Tiers.harness(tier).run(pkg, "plugin-" + tier, LaunchOptions.parse("plugin://myPlugin/hello-page"))) {
            run.session().close();
            assertThat(run.events().logs()).doesNotContain("app.js ran");
            assertThat(run.events().all().getLast()).isEqualTo(new RuntimeEvent.Exit(1,
                    "launch failed: plugins are not supported: cannot open plugin://myPlugin/hello-page"));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void navigatingToAPluginPageFailsWithTheReason(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() { wx.navigateTo({ url: 'plugin://myPlugin/hello-page', fail: e => console.log(e.errMsg) }) } })");
        try (var run = Tiers.harness(tier).run(pkg, "plugin-nav-" + tier)) {
            assertThat(run.events().logs()).contains("navigateTo:fail plugins are not supported: cannot open plugin://myPlugin/hello-page");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }

    // ---- errors and rejections --------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUncaughtErrorReachesAppOnErrorAndWxOnErrorListeners(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "App({ onError(m) { console.log('app ' + m) } })",
                "pages/index/index.js", "Page({ onLoad() { wx.onError(m => console.log('listener ' + m));"
                        + " const gone = m => console.log('removed listener ran'); wx.onError(gone); wx.offError(gone);"
                        + " setTimeout(() => { throw new Error('late') }, 0) } })");
        try (var run = Tiers.harness(tier).run(pkg, "onerror-" + tier)) {
            assertThat(run.events().logs()).anySatisfy(l -> assertThat(l).startsWith("Uncaught Error: late"))
                    .anySatisfy(l -> assertThat(l).startsWith("app Error: late"))
                    .anySatisfy(l -> assertThat(l).startsWith("listener Error: late"))
                    .doesNotContain("removed listener ran");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anErrorInOnErrorIsReportedOnceAndNotFedBack(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "App({ onError(m) { console.log('handling ' + m); throw new Error('again') } })",
                "pages/index/index.js", "Page({ onLoad() { throw new Error('first') } })");
        try (var run = Tiers.harness(tier).run(pkg, "onerror-loop-" + tier)) {
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("handling")).hasSize(1);
            assertThat(run.events().logs()).filteredOn(l -> l.contains("again")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("Uncaught Error: again"));
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUnhandledRejectionIsLoggedAndReachesItsHandlersAHandledOneDoesNot(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "App({ onUnhandledRejection(r) { console.log('app ' + r.reason.message + ' ' + (r.promise instanceof Promise)) } })",
                "pages/index/index.js", "Page({ onLoad() { wx.onUnhandledRejection(r => console.log('listener ' + r.reason.message));"
                        + " Promise.reject(new Error('nobody'));"
                        + " Promise.reject(new Error('caught')).catch(() => {});"
                        + " (async () => { throw new TypeError('in async') })() } })");
        try (var run = Tiers.harness(tier).run(pkg, "rejection-" + tier)) {
            assertThat(run.events().of(RuntimeEvent.Log.class)).contains(new RuntimeEvent.Log("error", "Unhandled promise rejection: Error: nobody"),
                    new RuntimeEvent.Log("error", "Unhandled promise rejection: TypeError: in async"));
            assertThat(run.events().logs()).contains("app nobody true", "listener nobody", "app in async true", "listener in async")
                    .noneMatch(l -> l.contains("caught"));
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theGraalBuiltinThatTracksRejectionsIsGoneBeforeGuestCode(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() { console.log('graal ' + typeof Graal + ' ' + typeof globalThis.Graal) } })");
        try (var run = Tiers.harness(tier).run(pkg, "graal-" + tier)) {
            assertThat(run.events().logs()).contains("graal undefined undefined");
        }
    }

    // ---- nextTick ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void nextTickRunsAfterTheEventAndItsPromiseJobsAndBeforeTimers(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() { const order = [];"
                + " setTimeout(() => { order.push('timeout'); console.log('order ' + order.join(',')) }, 0);"
                + " wx.nextTick(() => order.push('tick1'));"
                + " Promise.resolve().then(() => order.push('micro'));"
                + " wx.nextTick(() => { order.push('tick2'); wx.nextTick(() => order.push('tick3')) });"
                + " order.push('sync');"
                + " try { wx.nextTick('code') } catch (e) { console.log('refused ' + e.constructor.name + ': ' + e.message) } } })");
        try (var run = Tiers.harness(tier).run(pkg, "tick-" + tier)) {
            assertThat(run.events().logs()).contains("order sync,micro,tick1,tick2,tick3,timeout", "refused TypeError: nextTick() takes a function");
        }
    }

    // ---- getApp({allowDefault}) and independent subpackages ----------------------------------------

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void getAppBeforeAppIsUndefinedUnlessDefaultIsAllowed(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.js", "console.log('before ' + typeof getApp() + ' ' + typeof getApp({ allowDefault: false })"
                + " + ' ' + typeof getApp({ allowDefault: 'yes' }) + ' ' + typeof getApp({ allowDefault: true })); App({ n: 1 });"
                + " console.log('after ' + getApp().n + ' ' + (getApp({ allowDefault: true }) === getApp()))");
        try (var run = Tiers.harness(tier).run(pkg, "getapp-" + tier)) {
            assertThat(run.events().logs()).contains("before undefined undefined undefined object", "after 1 true");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anIndependentSubpackageLaunchesWithoutAppJsUntilTheMainPackageIsEntered(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.json", SUBPACKAGES,
                "app.js", "App({ data: 123, other: 'hello', onLaunch(o) { console.log('onLaunch ' + o.path + ' ' + JSON.stringify(getApp())) } })",
                "shop/list/list.js", "Page({})",
                "solo/p/p.js", "Page({ onLoad() { console.log('plain ' + typeof getApp());"
                        + " const d = getApp({ allowDefault: true }); d.data = 456; d.global = {};"
                        + " console.log('same ' + (getApp({ allowDefault: true }) === d)) },"
                        + " toMain() { wx.navigateTo({ url: '/pages/index/index' }) } })");
        try (var run = Tiers.harness(tier).run(pkg, "independent-" + tier, LaunchOptions.parse("solo/p/p"))) {
            assertThat(run.events().lifecycle()).doesNotContain("app.onLaunch").contains("solo/p/p.onLoad");
            assertThat(run.events().logs()).contains("plain undefined", "same true");
            run.dispatch("toMain", "{}");
            assertThat(run.events().logs()).contains("onLaunch solo/p/p {\"data\":456,\"other\":\"hello\",\"global\":{}}");
            assertThat(run.events().lifecycle()).containsSubsequence("solo/p/p.onHide", "app.onLaunch", "app.onShow", "pages/index/index.onLoad");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aNormalSubpackagePageLaunchesWithTheMainPackageAndIsRoutable(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.json", SUBPACKAGES,
                "app.js", "App({ n: 5 })",
                "pages/index/index.js", "Page({ onLoad() { wx.navigateTo({ url: '/shop/list/list?id=3' });"
                        + " wx.navigateTo({ url: '/shop/missing/missing', fail: e => console.log(e.errMsg) }) } })",
                "shop/list/list.js", "Page({ onLoad(q) { console.log('shop ' + q.id + ' ' + getApp().n) } })",
                "solo/p/p.js", "Page({ onLoad() { console.log('solo sees ' + getApp().n) } })");
        try (var run = Tiers.harness(tier).run(pkg, "subpackage-" + tier)) {
            assertThat(run.events().logs()).contains("shop 3 5", "navigateTo:fail page \"/shop/missing/missing\" is not found in app.json");
            assertThat(run.session().currentRoute()).isEqualTo("shop/list/list");
        }
        // Launched at a normal subpackage's page, the main package (app.js) runs first.
        try (var run = Tiers.harness(tier).run(pkg, "subpackage-launch-" + tier, LaunchOptions.parse("shop/list/list?id=9"))) {
            assertThat(run.events().lifecycle()).containsSubsequence("app.onLaunch", "shop/list/list.onLoad");
            assertThat(run.events().logs()).contains("shop 9 5");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anIndependentSubpackageEnteredFromTheMainPackageSeesTheRealApp(Isolation tier) {
        CapsulePackage pkg = TestApps.app("app.json", SUBPACKAGES,
                "app.js", "App({ n: 5 })",
                "pages/index/index.js", "Page({ onLoad() { wx.navigateTo({ url: '/solo/p/p' }) } })",
                "shop/list/list.js", "Page({})",
                "solo/p/p.js", "Page({ onLoad() { console.log('solo sees ' + getApp().n) } })");
        try (var run = Tiers.harness(tier).run(pkg, "subpackage-solo-" + tier)) {
            assertThat(run.events().logs()).contains("solo sees 5");
            assertThat(run.events().lifecycle()).filteredOn(l -> l.equals("app.onLaunch")).hasSize(1);
        }
    }
}
