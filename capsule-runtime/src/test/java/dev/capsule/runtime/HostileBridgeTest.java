package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.storage.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile arguments to the wx bridge: getters, proxies, toJSON, polluted prototypes, replaced
 * built-ins, values that change between check and use, and callbacks that throw. The host must only
 * ever see a plain-data copy of the guest's own data properties, checked and used as the same value.
 * What the host received is read back from the storage area directly, not through the guest.
 */
class HostileBridgeTest {
    private static final String APP_ID = "com.example.test";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Harness harness;

    /** Counts every trap a Proxy handler could run, forwarding to Reflect. */
    private static final String TRAPS = "const trapCalls = { n: 0 }; const traps = {};"
            + "for (const t of ['get', 'set', 'has', 'deleteProperty', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty',"
            + " 'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'apply', 'construct'])"
            + " traps[t] = function (...a) { trapCalls.n++; return Reflect[t](...a); };\n"
            + "const log = (...a) => console.log(a.join(' '));\n";

    @BeforeAll
    static void start() {
        harness = new Harness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @AfterEach
    void hostStillServesAFreshSession() {
        harness.assertHealthy();
    }

    /** A fresh user per test, so each test reads its own storage area. */
    private final String user = "bridge-" + USERS.incrementAndGet();

    private Harness.Run run(String pageScript) {
        Harness.Run run = harness.run(TestApps.page(TRAPS + pageScript), user);
        assertThat(run.events().logs()).as("host internals never reach the guest or the log").noneMatch(HostileEscapeTest::leaksHost);
        return run;
    }

    private Harness.Run onLoad(String body) {
        return run("Page({onLoad(){\n" + body + "\n}})");
    }

    /** What the host stored under {@code key} for this test's user: the value the bridge actually received. */
    private Optional<String> stored(String key) {
        try {
            return harness.storage.open(APP_ID, user).get(key);
        } catch (StorageException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAlive(Harness.Run run) {
        assertThat(run.session().ended()).as("session survived: %s", run.events()).isFalse();
        assertThat(run.events().violations()).isEmpty();
    }

    @Test
    void gettersOnArgumentsAreNeverRun() {
        String body = "let runs = 0;"
                + "const opts = { data: 'v', fail(r){ log('fail', r.errMsg, 'runs', runs) }, success(){ log('success') } };"
                + "Object.defineProperty(opts, 'key', { get(){ runs++; return 'k' }, enumerable: true });"
                + "wx.setStorage(opts);"
                + "wx.setStorageSync('plain', { get secret(){ runs++; return 'leak' }, visible: 1 });"
                + "log('sync runs', runs);";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("sync runs 0", "fail setStorage:fail parameter error: key must be a non-empty string runs 0");
            assertThat(stored("k")).isEmpty();
            assertThat(stored("plain")).contains("{\"visible\":1}");
            assertAlive(run);
        }
    }

    @Test
    void getterCallbacksAreNeverRead() {
        String body = "let runs = 0;"
                + "const opts = { key: 'k', data: 1 };"
                + "Object.defineProperty(opts, 'success', { get(){ runs++; return () => log('getter success ran') }, enumerable: true });"
                + "const p = wx.setStorage(opts);"
                + "log('returned promise', p instanceof Promise);"
                + "p.then(r => log('resolved', r.errMsg, 'runs', runs));";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("returned promise true", "resolved setStorage:ok runs 0").doesNotContain("getter success ran");
            assertThat(stored("k")).contains("1");
        }
    }

    @Test
    void proxyConstructorWorksAsEcmaScriptRequires() {
        // Proxy is a standard built-in (spec section 2): Capsule may track proxies, not break them.
        String body = "try { const p = new Proxy({ a: 1 }, {}); log('proxy', p.a); } catch (e) { log('proxy threw', e.name, e.message) }"
                + "try { const r = Proxy.revocable({ a: 2 }, {}); log('revocable', r.proxy.a); r.revoke(); } catch (e) { log('revocable threw', e.name, e.message) }"
                + "try { Proxy({}, {}); log('call without new worked') } catch (e) { log('call', e.name) }";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("proxy 1", "revocable 2", "call TypeError");
        }
    }

    @Test
    void proxyAsOptionsIsRefusedWithoutRunningTraps() {
        String body = "const target = { key: 'k', data: 1, fail(r){ log('fail callback ran') } };"
                + "wx.setStorage(new Proxy(target, traps)).then(() => log('stored'), e => log('rejected', e.errMsg, 'traps', trapCalls.n));"
                + "try { wx.setStorageSync('k2', new Proxy({ a: 1 }, traps)); log('sync stored') } catch (e) { log('sync', e.message, 'traps', trapCalls.n) }";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("rejected setStorage:fail a Proxy is not data traps 0",
                    "sync setStorageSync:fail a Proxy is not data traps 0");
            assertThat(run.events().apis("setStorage")).singleElement().satisfies(a -> {
                assertThat(a.ok()).isFalse();
                assertThat(a.reason()).isEqualTo("a Proxy is not data");
            });
            assertThat(stored("k")).isEmpty();
            assertThat(stored("k2")).isEmpty();
        }
    }

    @Test
    void proxyNestedInDataIsRefusedWithoutRunningTraps() {
        String body = "const data = { list: [1, { deep: new Proxy([1, 2], traps) }] };"
                + "wx.setStorage({ key: 'k', data, fail(r){ log('fail', r.errMsg, 'traps', trapCalls.n) }, success(){ log('stored') } });"
                + "try { this.setData({ nested: { p: new Proxy({}, traps) } }); log('setData accepted') } catch (e) { log('setData', e.message, 'traps', trapCalls.n) }";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("fail setStorage:fail a Proxy is not data traps 0", "setData setData: a Proxy is not data traps 0");
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{}");
            assertThat(stored("k")).isEmpty();
        }
    }

    @Test
    void revokedAndRevocableProxiesAreRefusedAsData() {
        String body = "const r = Proxy.revocable({ key: 'k', data: 1 }, traps);"
                + "try { wx.setStorageSync('live', { p: r.proxy }); log('live stored') } catch (e) { log('live', e.message) }"
                + "r.revoke();"
                + "try { wx.setStorageSync('revoked', { p: r.proxy }); log('revoked stored') } catch (e) { log('revoked', e.message) }"
                + "wx.setStorage(r.proxy).then(() => log('options stored'), e => log('options', e.errMsg, 'traps', trapCalls.n));";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("live setStorageSync:fail a Proxy is not data", "revoked setStorageSync:fail a Proxy is not data",
                    "options setStorage:fail a Proxy is not data traps 0");
            assertThat(stored("live")).isEmpty();
            assertThat(stored("revoked")).isEmpty();
            assertAlive(run);
        }
    }

    @Test
    void proxyAsGetRandomValuesOptionsIsRefusedWithoutRunningTraps() {
        // wx.getRandomValues is wrapped by the framework, which reads options.length itself before the snapshot.
        String body = "let p; try { p = new Proxy({ length: 8 }, traps); } catch (e) { log('no proxy', e.name); }"
                + "if (p) wx.getRandomValues(p).then(r => log('resolved traps', trapCalls.n), e => log('rejected', e.errMsg, 'traps', trapCalls.n));";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("rejected getRandomValues:fail a Proxy is not data traps 0");
        }
    }

    @Test
    void toJsonOnArgumentsIsNeverCalled() {
        String body = "let runs = 0;"
                + "class EvilDate extends Date { toJSON(){ runs++; return 'evil' } toISOString(){ runs++; return 'evil' } }"
                + "const data = { v: 1, when: new EvilDate(0), toJSON(){ runs++; return { evil: true } } };"
                + "const opts = { key: 'k', data, toJSON(){ runs++; return { key: 'evil', data: 'x' } } };"
                + "wx.setStorage(opts).then(r => log('stored', r.errMsg, 'runs', runs));";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("stored setStorage:ok runs 0");
            assertThat(stored("k")).contains("{\"v\":1,\"when\":\"1970-01-01T00:00:00.000Z\"}");
            assertThat(stored("evil")).isEmpty();
        }
    }

    @Test
    void objectPrototypePollutionDoesNotChangeWhatTheHostReceives() {
        String body = "Object.prototype.toJSON = function () { return { polluted: true } };"
                + "Object.prototype.key = 'evil';"
                + "Object.prototype.data = 'polluted';"
                + "Object.prototype.url = 'https://api.example.com/';"
                + "Object.prototype.enumerable = true; Object.prototype.get = function () { return 'accessor' };"
                + "wx.setStorageSync('k', { a: 1, list: [1, 'two', { three: 3 }] });"
                + "wx.setStorage({ fail(r){ log('keyless', r.errMsg) } });"
                + "wx.request({ fail(r){ log('urlless', r.errMsg) } });";
        try (var run = onLoad(body)) {
            assertThat(stored("k")).contains("{\"a\":1,\"list\":[1,\"two\",{\"three\":3}]}");
            assertThat(stored("evil")).isEmpty();
            assertThat(run.events().logs()).contains("keyless setStorage:fail parameter error: key must be a non-empty string",
                    "urlless request:fail parameter error: url must be a string");
            assertAlive(run);
        }
    }

    @Test
    void arrayPrototypeAccessorsDoNotChangeWhatTheHostReceives() {
        String body = "let runs = 0;"
                + "for (const i of ['0', '1']) Object.defineProperty(Array.prototype, i, { get(){ runs++; return 'evil' }, set(v){ runs++ }, configurable: true });"
                + "wx.setStorageSync('k', { holes: [, 'b'], empty: [] });"
                + "log('storage runs', runs);";
        try (var run = onLoad(body)) {
            assertThat(stored("k")).contains("{\"holes\":[null,\"b\"],\"empty\":[]}");
            assertThat(run.events().logs()).contains("storage runs 0");
        }
    }

    @Test
    void arrayPrototypeAccessorsDoNotRunInsideSetData() {
        // setData's path parser runs in the framework: guest accessors on Array.prototype must not run there or change the data.
        String body = "let runs = 0;"
                + "Object.defineProperty(Array.prototype, '0', { get(){ runs++; return 'evil' }, set(v){ runs++ }, configurable: true });"
                + "this.setData({ 'a.b': 1, 'list[1]': 'x' });"
                + "log('setData runs', runs);";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("setData runs 0");
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"a\":{\"b\":1},\"list\":[null,\"x\"]}");
        }
    }

    @Test
    void objectPrototypeThenDoesNotHijackBridgeCalls() {
        String body = "let thens = 0;"
                + "Object.prototype.then = function (resolve) { thens++; if (typeof resolve === 'function') resolve('hijacked'); };"
                + "wx.setStorage({ key: 'k', data: { a: 1 } });"
                + "wx.setStorage({ key: 'k2', data: 2, complete(){ log('complete ran') } });"
                + "setTimeout(() => { delete Object.prototype.then; log('timer ran'); }, 5);";
        try (var run = onLoad(body)) {
            assertThat(stored("k")).contains("{\"a\":1}");
            assertThat(stored("k2")).contains("2");
            assertThat(run.events().logs()).contains("complete ran", "timer ran");
            assertAlive(run);
        }
    }

    @Test
    void replacingBuiltinsBeforeCallingWxDoesNotChangeSnapshots() {
        String body = "const realLog = console.log;"
                + "JSON.stringify = () => '{\"key\":\"evil\",\"data\":\"forged\"}';"
                + "JSON.parse = () => ({ ok: true, value: 'forged' });"
                + "Reflect.ownKeys = () => ['evil']; Reflect.apply = () => 'forged'; Reflect.getOwnPropertyDescriptor = () => ({ value: 'evil', enumerable: true });"
                + "Object.getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor; Object.keys = () => ['evil']; Object.create = () => ({ evil: 1 });"
                + "Object.hasOwn = () => true; Object.freeze = o => o; Array.isArray = () => true; Number.isFinite = () => false;"
                + "WeakSet.prototype.has = () => false; WeakSet.prototype.add = () => {};"
                + "Date.prototype.getTime = () => 0; Date.prototype.toISOString = () => 'forged';"
                + "String.prototype.slice = () => 'forged'; String.prototype.startsWith = () => true; Function.prototype.apply = () => 'forged';"
                + "globalThis.Reflect = { apply(){ return 'forged' } };"
                + "wx.setStorageSync('good', { v: [1, 'two', { three: 3 }], d: new Date(86400000), n: NaN });"
                + "realLog('read back ' + wx.getStorageSync('good').v[1]);";
        try (var run = onLoad(body)) {
            assertThat(stored("good")).contains("{\"v\":[1,\"two\",{\"three\":3}],\"d\":\"1970-01-02T00:00:00.000Z\",\"n\":null}");
            assertThat(stored("evil")).isEmpty();
            assertThat(run.events().logs()).contains("read back two");
            assertAlive(run);
        }
    }

    @Test
    void urlThatChangesBetweenCheckAndUseIsNeverRead() {
        // A getter returning an allowed URL first and a metadata URL later: only own data properties count, so it never runs.
        String body = "let reads = 0;"
                + "const sneaky = { fail(r){ log('getter url', r.errMsg, 'reads', reads) } };"
                + "Object.defineProperty(sneaky, 'url', { enumerable: true, get(){ return reads++ === 0 ? 'https://api.example.com/' : 'https://169.254.169.254/latest/meta-data/' } });"
                + "wx.request(sneaky);"
                + "wx.request({ url: { toString(){ reads++; return 'https://api.example.com/' } }, fail(r){ log('object url', r.errMsg, 'reads', reads) } });"
                + "wx.request({ url: new String('https://api.example.com/'), fail(r){ log('boxed url', r.errMsg) } });";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("getter url request:fail parameter error: url must be a string reads 0",
                    "object url request:fail parameter error: url must be a string reads 0",
                    "boxed url request:fail parameter error: url must be a string");
            assertThat(run.events().apis("request")).hasSize(3).allMatch(a -> !a.ok());
        }
    }

    @Test
    void callbacksThatThrowAreContained() {
        String page = "Page({ go(){"
                + " wx.setStorage({ key: 'k', data: 1, success(){ throw new Error('boom in success') }, complete(){ log('complete after throw') } });"
                + " wx.setStorage({ data: 1, fail(){ throw new TypeError('boom in fail') } });"
                + " wx.getStorageInfo({ complete(){ throw 'a string' } });"
                + " wx.getStorageInfo().then(() => { throw new Error('boom in then') });"
                + "}, after(){ log('still running', wx.getStorageSync('k')) } })";
        try (var run = harness.run(TestApps.app("pages/index/index.js", TRAPS + page, "app.js", "App({ onError(m){ console.log('onError ' + m) } })"), user)) {
            run.dispatch("go", "{}").dispatch("after", "{}");
            assertThat(run.events().logs()).contains("complete after throw", "still running 1")
                    .anyMatch(l -> l.startsWith("Uncaught Error: boom in success"))
                    .anyMatch(l -> l.startsWith("Uncaught TypeError: boom in fail"))
                    .anyMatch(l -> l.startsWith("onError Error: boom in success"));
            assertAlive(run);
        }
    }

    @Test
    void valuesThatAreNotDataAreRefused() {
        String body = "const cyclic = { name: 'loop' }; cyclic.self = cyclic;"
                + "const cases = { bigint: { n: 10n }, cyclic, deep: JSON.parse('['.repeat(100) + ']'.repeat(100)) };"
                + "for (const k of Object.keys(cases)) { try { wx.setStorageSync(k, cases[k]); log(k, 'stored') } catch (e) { log(k, e.message) } }"
                + "for (const opts of ['https://evil.com/', 42, null, () => {}]) wx.setStorage(opts).then(() => log('odd stored'), e => log('odd', e.errMsg));";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("bigint setStorageSync:fail BigInt values are not data",
                    "cyclic setStorageSync:fail data is nested more than 32 levels", "deep setStorageSync:fail data is nested more than 32 levels")
                    .filteredOn(l -> l.startsWith("odd")).hasSize(4).allMatch(l -> l.equals("odd setStorage:fail options must be an object"));
            assertThat(stored("bigint")).isEmpty();
            assertThat(stored("cyclic")).isEmpty();
            assertAlive(run);
        }
    }

    @Test
    void storageIsIsolatedBetweenMiniProgramsAndUsers() {
        try (var owner = harness.run(TestApps.page("Page({onLoad(){ wx.setStorageSync('secret', 'owner-only') }})"), user)) {
            assertThat(stored("secret")).contains("\"owner-only\"");
            String reader = "Page({onLoad(){ console.log('read [' + wx.getStorageSync('secret') + '] keys ' + wx.getStorageInfoSync().keys.join()) }})";
            String otherManifest = TestApps.MANIFEST.replace("com.example.test", "com.evil.app");
            try (var otherApp = harness.run(TestApps.app("capsule.json", otherManifest, "pages/index/index.js", reader), user);
                    var otherUser = harness.run(TestApps.page(reader), user + "-other")) {
                assertThat(otherApp.events().logs()).contains("read [] keys ");
                assertThat(otherUser.events().logs()).contains("read [] keys ");
            }
        }
    }

    @Test
    void mutatingBridgeResultsDoesNotChangeHostState() {
        // Results come back as fresh parsed objects: mutating one, or the page's data, never reaches the host's copy.
        String body = "const info = wx.getStorageInfoSync(); info.limitSize = 1e12; info.keys.push('forged');"
                + "this.data.injected = 'not via setData';"
                + "wx.setStorageSync('k', 1);"
                + "const again = wx.getStorageInfoSync();"
                + "log('limit', again.limitSize, 'keys', again.keys.join());"
                + "this.setData({ real: 1 });";
        try (var run = onLoad(body)) {
            assertThat(run.events().logs()).contains("limit 10240 keys k");
            assertThat(run.events().lastData("pages/index/index")).contains("\"real\":1");
        }
    }
}
