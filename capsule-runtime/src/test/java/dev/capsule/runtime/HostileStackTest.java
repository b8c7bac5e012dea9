package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stack exhaustion. Each scenario runs in a fresh child JVM, because what is at stake is the JVM
 * itself: if a guest exhausts the stack exactly where GraalJS first initializes one of its classes,
 * the class fails to initialize for the rest of the process, and every later session of every
 * mini-program that needs it breaks. Running these in the shared test JVM could break unrelated tests.
 */
class HostileStackTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static Child.Result recursion;
    private static Child.Result poison;
    private static Harness harness;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        // One after the other: two cold JVMs side by side on a small machine make each other's events slow.
        recursion = Child.await(Child.start("recursion"));
        poison = Child.await(Child.start("poison"));
        harness = new Harness();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @AfterEach
    void hostStillServesAFreshSession() {
        harness.assertHealthy();
    }

    @Test
    void deepRecursionIsAGuestRangeErrorAndTheHostCarriesOn() {
        assertThat(recursion.exitCode()).as(recursion.output()).isZero();
        assertThat(recursion.lines("hostile")).as(recursion.output())
                .contains("Log[level=error, text=Uncaught RangeError: Maximum call stack size exceeded (in uncaught, pages/index/index.js:1)]",
                        "Log[level=log, text=caught RangeError]", "Log[level=log, text=after ok]")
                .noneMatch(l -> l.contains("Violation") || l.contains("Exit"));
        assertThat(recursion.lines("runtime")).containsExactly("healthy true");
        assertThat(recursion.lines("verdict")).as(recursion.output()).containsExactly("healthy");
    }

    @Test
    void stackExhaustionAtHostCallsAndEngineOperationsDoesNotBreakLaterSessions() {
        // Before the engine warm-up (commit 569da05) this broke JSArgumentsObjectGen for the whole JVM:
        // every later session that logged anything failed with NoClassDefFoundError.
        assertThat(poison.exitCode()).as(poison.output()).isZero();
        // The hostile event either climbs back out or is stopped by the wall clock: both are contained.
        assertThat(poison.lines("hostile")).as(poison.output())
                .anyMatch(l -> l.contains("text=depth ") || l.startsWith("Violation[kind=cpu"));
        assertThat(poison.lines("runtime")).as("no engine fault, so no runtime restart needed:\n" + poison.output())
                .containsExactly("healthy true");
        assertThat(poison.lines("fresh")).as("a later, unrelated session:\n" + poison.output()).noneMatch(Child::engineDamage)
                .contains(recursion.lines("fresh").stream().filter(l -> l.startsWith("Log[level=log, text=ops ")).findFirst().orElseThrow());
        assertThat(poison.lines("verdict")).as(poison.output()).containsExactly("healthy");
    }

    /** The child JVM: runs one scenario, prints each session's events with a prefix, then a verdict. */
    static final class Child {
        record Result(int exitCode, String output) {
            List<String> lines(String prefix) {
                return output.lines().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1)).toList();
            }
        }

        private static final java.util.Map<Process, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

        static Process start(String scenario) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            File out = File.createTempFile("capsule-hostile-" + scenario, ".log");
            out.deleteOnExit();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), scenario)
                    .redirectErrorStream(true).redirectOutput(out).start();
            OUTPUTS.put(p, out.toPath());
            return p;
        }

        static Result await(Process p) throws InterruptedException, IOException {
            if (!p.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            String output = Files.readString(OUTPUTS.get(p), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), output);
        }

        /**
         * Everyday and less common JavaScript: each op is a path through the engine that may need a class
         * initialised for the first time. The hostile session runs them with almost no stack left; the
         * fresh session runs them normally and must get the same results as in a JVM nobody attacked.
         */
        private static final String OPS = "const ops = ["
                + "() => 'abc'.normalize('NFD'), () => 'a'.localeCompare('b'), () => new Intl.Collator('en').compare('a', 'b'),"
                + "() => new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format(0), () => new Intl.PluralRules('en').select(1),"
                + "() => new Intl.RelativeTimeFormat('en').format(1, 'day'), () => new Intl.ListFormat('en').format(['a', 'b']),"
                + "() => [...new Intl.Segmenter('en').segment('ab')].length, () => [3, 1].toSorted().join(), () => Object.keys(Object.groupBy([1, 2], x => x % 2)).join(),"
                + "() => [1, [2, [3]]].flat(Infinity).join(), () => Array.from({ length: 2 }, (_, i) => i).join(), () => typeof new WeakRef({}).deref(),"
                + "() => Iterator.from([1]).map(x => x + 1).toArray().join(), () => (function* () { yield 1 })().next().value,"
                + "() => /\\p{L}+/u.test('ab'), () => /(?<y>\\d{4})/.exec('2024').groups.y, () => 'aXbX'.replaceAll('X', '-'), () => 'abc'.at(-1),"
                + "() => Date.parse('2024-01-01T00:00:00Z'), () => (123.456).toPrecision(4), () => (255).toString(16), () => Math.hypot(3, 4),"
                + "() => Math.fround(1.1), () => new DataView(new ArrayBuffer(8)).getFloat64(0), () => new Float16Array(2).length,"
                + "() => String(BigInt.asUintN(8, 257n)), () => String(2n ** 64n), () => Symbol.for('x').description, () => JSON.stringify(Object.fromEntries([['a', 1]])),"
                + "() => String.raw`a${1}`, () => new (class { #p = 1; get p() { return this.#p } })().p, () => [...'\\u{1F600}x'].length,"
                + "() => encodeURI('\\u00e9'), () => unescape('%E9'), () => JSON.stringify({ a: 1 }, null, 2), () => new Set([1]).union(new Set([2])).size,"
                + "() => [1, 2].findLast(x => x), () => typeof Promise.allSettled([]), () => new AggregateError([]).name, () => Reflect.construct(Date, [0]).getTime(),"
                + "() => 'abc'.padEnd(5, '-'), () => 'a-b'.split(/-/).join(), () => 'aaa'.matchAll(/a/g).next().value[0], () => String.fromCodePoint(0x1F600).length,"
                + "() => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1), () => new Date(0).toLocaleDateString('zh-CN', { timeZone: 'UTC' }),"
                + "() => '\\u0130'.toLocaleLowerCase('tr').length, () => '\\u00df'.toUpperCase(), () => (1e21).toLocaleString('en'), () => new Date(0).toUTCString(),"
                + "() => Array.prototype.concat.call([1], [2]).length, () => Object.entries({ a: 1 }).flat().join(), () => Number('0x1f'), () => parseInt('z', 36),"
                + "() => [5, 1, 4].sort((a, b) => a - b).join(), () => new Map([[1, 2]]).get(1), () => Array.of(1, 2).length, () => 'x'.repeat(3).length ];\n";
        private static final String HEALTH_CHECK = OPS + "function count(){ return arguments.length }\n"
                + "Page({ data: { n: 1 }, onLoad(){"
                + " console.log('values', 1, 2.5, true, null, { a: [1, 'b'] });"
                + " wx.setStorageSync('k', { n: 42, s: 'x' + 1 });"
                + " console.log('storage ' + JSON.stringify(wx.getStorageSync('k')) + ' ' + count(1, 2, 3) + ' ' + String(7) + ' ' + (1 + '2') + ' ' + `t${3}`);"
                + " try { null.x } catch (e) { console.log('error ' + e.name) }"
                + " const results = []; ops.forEach((op, i) => setTimeout(() => { try { results[i] = String(op()) } catch (e) { results[i] = 'threw ' + e } }, 0));"
                + " setTimeout(() => console.log('ops ' + results.join('|')), 5);"
                + " this.setData({ n: this.data.n + 1 }, () => console.log('data ' + JSON.stringify(this.data)));"
                + " Promise.resolve(5).then(v => console.log('promise ' + v));"
                + " setTimeout(() => console.log('timer ok'), 1); } })";

        public static void main(String[] args) throws Exception {
            String scenario = args[0];
            List<String> logs;
            boolean ended;
            Harness h = new Harness();
            if (scenario.equals("recursion")) {
                String page = "function r(n){ return r(n + 1) + 1 }\n"
                        + "Page({ uncaught(){ r(0) }, caught(){ try { r(0) } catch (e) { console.log('caught ' + e.name) } }, after(){ console.log('after ok') } })";
                try (var run = h.run(TestApps.page(page))) {
                    run.dispatch("uncaught", "{}").dispatch("caught", "{}").dispatch("after", "{}");
                    print("hostile", run.events());
                }
            } else if (scenario.equals("poison")) {
                // A ladder: the catch block at the deepest frame runs out of stack; its RangeError goes to
                // the catch block one frame up, which tries again with a little more stack, and so on, so
                // every op gets tried at every stack height until all of them succeed.
                String page = OPS + "function r(n){ try { return r(n + 1) } catch (e) {"
                        + "   console.log('deep', n, { n }); wx.setStorageSync('k' + (n % 3), { n, s: 'v' + n });"
                        + "   for (const op of ops) op(); return n; } }\n"
                        + "Page({ t(){ try { console.log('depth ' + r(0)) } catch (e) { console.log('no depth ' + e.name) } } })";
                try (var run = h.run(TestApps.page(page), "hostile-user")) {
                    run.dispatch("t", "{}");
                    print("hostile", run.events());
                }
            }
            System.out.println("runtime healthy " + h.runtime.healthy());
            if (!h.runtime.healthy()) {
                // As documented: the host builds a new runtime. The JVM is still the same one.
                h.close();
                h = new Harness();
            }
            // A different mini-program and user: nothing is shared with the hostile session but the JVM.
            String otherApp = TestApps.MANIFEST.replace("com.example.test", "com.example.other");
            try (var run = h.run(TestApps.app("capsule.json", otherApp, "pages/index/index.js", HEALTH_CHECK), "fresh-user")) {
                print("fresh", run.events());
                logs = run.events().logs();
                ended = run.session().ended();
            }
            h.close();
            System.out.println("verdict " + (!ended && logs.size() == 7 && logs.stream().noneMatch(Child::engineDamage) ? "healthy" : "broken"));
            System.out.flush();
            System.exit(0);
        }

        static boolean engineDamage(String line) {
            return line.contains("NoClassDefFoundError") || line.contains("ExceptionInInitializerError") || line.contains("java.")
                    || line.contains("com.oracle") || line.contains("capsule internal error");
        }

        private static void print(String prefix, Recorder events) {
            events.all().forEach(e -> System.out.println(prefix + " " + e.toString().replace('\n', ' ')));
        }
    }
}
