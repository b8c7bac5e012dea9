package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile require() and navigation: paths that climb out of the package or name files that are not
 * modules or pages, modules that tamper with the loader, and navigation that escapes app.json or the
 * page stack limit. The package's own files are the whole file system; app.json is the whole map.
 */
class HostileModuleTest {
    private static final List<dev.capsule.runtime.host.AuditEvent> AUDIT = new CopyOnWriteArrayList<>();
    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = new Harness(HostServices.defaults().withAudit(AUDIT::add), RuntimeLimits.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @AfterEach
    void hostStillServesAFreshSession() {
        harness.assertHealthy();
    }

    /** The index page tries each request with require() and logs what came back or the error message. */
    private static List<String> requireEach(String[] requests, String... extraFiles) {
        StringBuilder list = new StringBuilder("[");
        for (String r : requests) {
            list.append(list.length() > 1 ? "," : "").append(dev.capsule.core.json.StrictJson.mapper().writeValueAsString(r));
        }
        String page = "Page({onLoad(){ for (const r of " + list + "]) {"
                + " try { const m = require(r); console.log('loaded ' + r + ' ' + JSON.stringify(m)) } catch (e) { console.log(e.name + ': ' + e.message) } }"
                + " console.log('pwned ' + typeof globalThis.pwned) }})";
        List<String> files = new ArrayList<>(List.of("pages/index/index.js", page, "utils/a.js", "exports.name = 'a';",
                "pages/index/index.wxml", "globalThis.pwned = 1; exports.x = 1;", "notes.txt", "globalThis.pwned = 2;"));
        files.addAll(List.of(extraFiles));
        try (var run = harness.run(TestApps.app(files.toArray(String[]::new)))) {
            assertThat(run.session().ended()).isFalse();
            assertThat(run.events().logs()).noneMatch(HostileEscapeTest::leaksHost).contains("pwned undefined");
            return run.events().logs();
        }
    }

    @Test
    void requireCannotClimbOutOfThePackage() {
        List<String> logs = requireEach(new String[] {"../../../../etc/passwd", "../../../capsule.json", "./../../../x", "/../etc/passwd",
            "utils/../../../etc/passwd"});
        assertThat(logs).contains("Error: require: '../../../../etc/passwd' is outside the package",
                "Error: require: '../../../capsule.json' is outside the package", "Error: require: './../../../x' is outside the package",
                "Error: require: '/../etc/passwd' is outside the package");
        assertThat(logs).noneMatch(l -> l.startsWith("loaded"));
    }

    @Test
    void absolutePathsStayInsideThePackage() {
        List<String> logs = requireEach(new String[] {"/etc/passwd", "/proc/self/environ", "//etc/passwd", "/utils/a"});
        assertThat(logs).contains("Error: require: cannot find module '/etc/passwd' from 'pages/index/index.js'",
                "Error: require: cannot find module '/proc/self/environ' from 'pages/index/index.js'",
                "loaded /utils/a {\"name\":\"a\"}");
    }

    @Test
    void backslashesNulBytesAndSchemesAreInvalidModulePaths() {
        List<String> logs = requireEach(new String[] {"..\\..\\..\\etc\\passwd", "utils\\a", "utils/a\u0000.txt", "file:///etc/passwd",
            "node:fs", "C:\\Windows\\win.ini", ""});
        assertThat(logs).filteredOn(l -> l.contains("invalid module path")).hasSize(7);
        assertThat(logs).noneMatch(l -> l.startsWith("loaded"));
    }

    @Test
    void hostilePathsGetCapsulesOwnOneLineMessages() {
        String longRequest = "a".repeat(5_000);
        List<String> logs = requireEach(new String[] {"%zz", "a\nb", "x\u2028y\u202e", "[::1]", "data:,1", "..%2f..%2fetc%2fpasswd", longRequest});
        assertThat(logs).contains("Error: require: cannot find module '%zz' from 'pages/index/index.js'",
                "Error: require: cannot find module 'a\\u000ab' from 'pages/index/index.js'",
                "Error: require: cannot find module 'x\\u2028y\\u202e' from 'pages/index/index.js'",
                "Error: require: invalid module path '[::1]' (module paths are package paths: no ':', '\\' or NUL)",
                "Error: require: invalid module path 'data:,1' (module paths are package paths: no ':', '\\' or NUL)",
                "Error: require: cannot find module '..%2f..%2fetc%2fpasswd' from 'pages/index/index.js'",
                "Error: require: cannot find module '" + "a".repeat(200) + "…' from 'pages/index/index.js'");
        // Never a parser's words (java.net.URI's "Illegal character…", "Malformed escape pair…").
        assertThat(logs).noneMatch(l -> l.contains("Illegal") || l.contains("Malformed") || l.contains("URI") || l.contains(" at index "));
    }

    @Test
    void onlyJavaScriptFilesCanBeRequired() {
        List<String> logs = requireEach(new String[] {"/capsule.json", "../../app.json", "/app.json", "./index.wxml", "/notes.txt", "/notes"});
        assertThat(logs).filteredOn(l -> l.contains("cannot find module")).hasSize(6);
    }

    @Test
    void missingAndBuiltinModulesFailCleanly() {
        List<String> logs = requireEach(new String[] {"./nope", "fs", "child_process", "os", "net", "http", "vm", "worker_threads"});
        assertThat(logs).filteredOn(l -> l.startsWith("Error: require: cannot find module")).hasSize(8);
    }

    @Test
    void requireTakesOnlyStrings() {
        String page = "let runs = 0; const sneaky = { toString(){ runs++; return '../../../../etc/passwd' } };"
                + "Page({onLoad(){ for (const r of [sneaky, new String('/utils/a'), ['/utils/a'], 42]) {"
                + " try { require(r); console.log('loaded') } catch (e) { console.log(e.name + ' ' + e.message) } } console.log('runs ' + runs) }})";
        try (var run = harness.run(TestApps.app("pages/index/index.js", page, "utils/a.js", "exports.a = 1;"))) {
            assertThat(run.events().logs()).filteredOn(l -> l.equals("TypeError require() takes a string path")).hasSize(4);
            assertThat(run.events().logs()).contains("runs 0");
        }
    }

    @Test
    void requireCyclesAndSelfRequireTerminate() {
        try (var run = harness.run(TestApps.app(
                "pages/index/index.js", "const s = require('../../utils/self'); const x = require('../../utils/x');"
                        + " Page({onLoad(){ console.log('self ' + (s.again === s) + ' ' + s.a + ' ' + s.b + ' x ' + x.fromY + ' y ' + require('../../utils/y').fromX) }})",
                "utils/self.js", "exports.a = 1; exports.again = require('./self'); exports.b = 2;",
                "utils/x.js", "exports.name = 'x'; exports.fromY = require('./y').name;",
                "utils/y.js", "exports.name = 'y'; exports.fromX = require('./x').name;"))) {
            assertThat(run.events().logs()).contains("self true 1 2 x y y x");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @Test
    void moduleThatRedefinesRequireAffectsOnlyItself() {
        try (var run = harness.run(TestApps.app(
                "pages/index/index.js", "const evil = require('../../utils/evil'); const good = require('../../utils/good');"
                        + " Page({onLoad(){ console.log('evil ' + JSON.stringify(evil) + ' good ' + JSON.stringify(good) + ' later ' + JSON.stringify(require('../../utils/helper'))) }})",
                "utils/evil.js", "const real = require; require = () => ({ hacked: true }); globalThis.require = require; arguments[1] = require;"
                        + " module.require = require; module.exports = { mine: require('./helper') };",
                "utils/good.js", "module.exports = { helper: require('./helper') };",
                "utils/helper.js", "exports.real = true;"))) {
            assertThat(run.events().logs()).contains("evil {\"mine\":{\"hacked\":true}} good {\"helper\":{\"real\":true}} later {\"real\":true}");
        }
    }

    @Test
    void moduleSourceCannotBreakOutOfItsWrapperToGainAnything() {
        // Module text is wrapped in a function; text that closes it runs as an ordinary guest script, no more.
        String breakout = "}); globalThis.escaped = [typeof host, typeof exports, typeof require, typeof module].join();"
                + " try { eval('1'); globalThis.evalWorked = true } catch (e) {}"
                + " (function(){";
        // A top-level `let wx` shadows the guest's own wx (a configurable binding the guest owns, see
        // GuestOwnedWxTest): it changes what the guest's code calls, nothing of the bridge.
        String shadow = "}); let wx = { request(){} }; (function(){";
        try (var run = harness.run(TestApps.app(
                "pages/index/index.js", "Page({onLoad(){ try { require('../../utils/breakout') } catch (e) { console.log('breakout ' + e.name) }"
                        + " try { require('../../utils/shadow'); console.log('shadowed') } catch (e) { console.log('shadow ' + e.name) }"
                        + " console.log('escaped ' + globalThis.escaped + ' eval ' + globalThis.evalWorked + ' wx ' + typeof wx.getStorageInfoSync) }})",
                "utils/breakout.js", breakout, "utils/shadow.js", shadow))) {
            assertThat(run.events().logs()).contains("escaped undefined,undefined,undefined,undefined eval undefined wx undefined", "shadowed");
            assertThat(run.events().logs()).noneMatch(HostileEscapeTest::leaksHost);
        }
    }

    @Test
    void syntaxErrorInARequiredModuleIsAPlainGuestError() {
        try (var run = harness.run(TestApps.app(
                "pages/index/index.js", "Page({onLoad(){ try { require('../../utils/bad') } catch (e) {"
                        + " console.log([e instanceof SyntaxError, Object.getPrototypeOf(e) === SyntaxError.prototype, typeof e.getClass, typeof e.printStackTrace].join()) } }})",
                "utils/bad.js", "exports.x = ;"))) {
            assertThat(run.events().logs()).contains("true,true,undefined,undefined");
            assertThat(run.events().logs()).noneMatch(HostileEscapeTest::leaksHost);
        }
    }

    // ---- navigation -------------------------------------------------------------------------------

    private static final String NAV_APP_JSON = "{\"pages\":[\"pages/index/index\",\"pages/b/b\"]}";
    private static final String NAV_PAGE = "Page({ go(e){ for (const url of e.detail.urls) wx.navigateTo({ url, fail(r){ console.log('fail ' + r.errMsg) }, success(){ console.log('ok ' + url) } }) },"
            + " redirect(e){ wx.redirectTo({ url: e.detail.url, fail(r){ console.log('fail ' + r.errMsg) } }) },"
            + " relaunch(e){ wx.reLaunch({ url: e.detail.url, fail(r){ console.log('fail ' + r.errMsg) } }) },"
            + " back(e){ for (const d of e.detail.deltas) wx.navigateBack({ delta: d, fail(r){ console.log('fail ' + r.errMsg) } }) },"
            + " depth(){ console.log('depth ' + getCurrentPages().length + ' loaded ' + typeof globalThis.loadedA) } })";

    private static CapsulePackage navApp() {
        return TestApps.app("app.json", NAV_APP_JSON, "pages/index/index.js", NAV_PAGE, "pages/b/b.js",
                "Page({ onLoad(q){ console.log('b query ' + JSON.stringify(q) + ' proto ' + typeof ({}).polluted + ' ' + (Object.getPrototypeOf(q) === Object.prototype)) } })",
                "utils/a.js", "globalThis.loadedA = true; Page({})", "pages/evil/evil.js", "globalThis.loadedA = true; Page({})");
    }

    @Test
    void navigationToPagesOutsideAppJsonIsDenied() {
        try (var run = harness.run(navApp(), "nav-outside")) {
            run.dispatch("go", "{\"detail\":{\"urls\":[\"/pages/evil/evil\",\"/utils/a\",\"utils/a\",\"/capsule.json\",\"/app\"]}}");
            run.dispatch("redirect", "{\"detail\":{\"url\":\"/utils/a\"}}").dispatch("relaunch", "{\"detail\":{\"url\":\"/pages/evil/evil\"}}");
            run.dispatch("depth", "{}");
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ") && l.contains("is not found in app.json")).hasSize(7);
            assertThat(run.events().logs()).contains("depth 1 loaded undefined");
            assertThat(AUDIT).filteredOn(a -> a.userId().equals("nav-outside") && a.outcome().equals("denied")).hasSize(7);
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
    }

    @Test
    void navigationUrlsCannotEscapeWithDotDotOrEncodings() {
        try (var run = harness.run(navApp(), "nav-dots")) {
            run.dispatch("go", "{\"detail\":{\"urls\":[\"../../../../etc/passwd\",\"/../../pages/evil/evil\",\"../evil/evil\",\"/pages/%2e%2e/evil/evil\","
                    + "\"..\\\\evil\\\\evil\",\"/pages/b/b/../../evil/evil\",\"file:///pages/b/b\",\"https://evil.com/pages/b/b\"]}}");
            run.dispatch("depth", "{}");
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ")).hasSize(8).allMatch(l -> l.contains("is not found in app.json"));
            assertThat(run.events().logs()).contains("depth 1 loaded undefined");
        }
    }

    @Test
    void navigationQueryCannotPolluteObjectPrototype() {
        try (var run = harness.run(navApp(), "nav-query")) {
            run.dispatch("go", "{\"detail\":{\"urls\":[\"/pages/b/b?__proto__=x&constructor=y&__proto__%5Bpolluted%5D=1&toString=z\"]}}");
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("b query ") && l.endsWith(" proto undefined true"));
            assertThat(run.session().currentRoute()).isEqualTo("pages/b/b");
        }
    }

    @Test
    void pageStackLimitHoldsForNavigationsRequestedInOneEvent() {
        // Each navigateTo is checked when called, but the page opens later: a burst in one event must still stop at 10.
        try (var run = harness.run(navApp(), "nav-burst")) {
            StringBuilder urls = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                urls.append(i == 0 ? "" : ",").append("\"/pages/b/b?i=").append(i).append('"');
            }
            run.dispatch("go", "{\"detail\":{\"urls\":[" + urls + "]}}");
            run.dispatch("depth", "pages/index/index", "{}");
            long opened = run.events().lifecycle().stream().filter(l -> l.equals("pages/b/b.onLoad")).count();
            assertThat(opened).as("pages opened").isLessThanOrEqualTo(9);
            assertThat(run.events().apis("navigateTo")).filteredOn(a -> !a.ok()).hasSizeGreaterThanOrEqualTo(6)
                    .allMatch(a -> a.reason().contains("page stack limit"));
        }
    }

    @Test
    void navigateBackWithHostileDeltasNeverEmptiesTheStack() {
        try (var run = harness.run(navApp(), "nav-back")) {
            run.dispatch("back", "{\"detail\":{\"deltas\":[1]}}");
            assertThat(run.events().logs()).contains("fail navigateBack:fail cannot navigate back at first page");
            run.dispatch("go", "{\"detail\":{\"urls\":[\"/pages/b/b\"]}}");
            run.dispatch("go", "pages/index/index", "{\"detail\":{\"urls\":[\"/pages/b/b\"]}}");
            run.dispatch("back", "pages/index/index", "{\"detail\":{\"deltas\":[1000000000, -5, 0, 1e308, 1, 1]}}");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
            run.dispatch("depth", "{}");
            assertThat(run.events().logs().getLast()).isEqualTo("depth 1 loaded undefined");
            assertThat(run.session().ended()).isFalse();
        }
    }
}
