package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.HostUi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile mini-programs exhausting resources: CPU, wall clock, memory, timers, console, setData,
 * storage, the event queue, and a neighbour's share of the host. Each breach must end with the
 * documented violation (or fail result), never hurt the host, and leave other sessions working.
 * Statement and wall-clock budgets are lowered so that the breaches come quickly.
 */
class HostileResourceTest {
    /** Lower CPU budgets, and a queue of 200 events so that floods fill it quickly even in a cold, interpreted JVM. */
    private static final RuntimeLimits LIMITS = new RuntimeLimits(300_000, 1_000, RuntimeLimits.EVENT_ALLOCATED_BYTES_MAX,
            RuntimeLimits.TIMERS_PENDING_MAX, RuntimeLimits.CONSOLE_BYTES_PER_EVENT_MAX, RuntimeLimits.SET_DATA_BYTES_MAX,
            RuntimeLimits.PAGE_STACK_DEPTH_MAX, RuntimeLimits.REQUESTS_IN_FLIGHT_MAX, RuntimeLimits.REQUESTS_PER_MINUTE_MAX, 200,
            RuntimeLimits.SESSION_OUTPUT_BYTES_MAX);
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Harness harness;
    /** Wall clock of 300 ms, for attacks that only the wall clock stops. */
    private static Harness fastWall;

    private final String user = "res-" + USERS.incrementAndGet();

    @BeforeAll
    static void start() {
        harness = new Harness(HostServices.defaults(), LIMITS);
        fastWall = new Harness(HostServices.defaults(), LIMITS.withEventWallMillisMax(300));
        // Warm the bridge up, so that the first flood of the class is not judged by a cold JVM's speed.
        try (var warm = harness.run(TestApps.page("Page({ go(){ for (let i = 0; i < 100; i++) wx.getStorageInfo({ success(){} }); console.log('w'); } })"), "warm-up")) {
            for (int i = 0; i < 5; i++) {
                warm.dispatch("go", "{}");
            }
        }
    }

    @AfterAll
    static void stop() {
        harness.close();
        fastWall.close();
    }

    @AfterEach
    void hostStillServesAFreshSession() {
        harness.assertHealthy();
        fastWall.assertHealthy();
    }

    private Harness.Run run(String pageScript) {
        return harness.run(TestApps.page("const log = (...a) => console.log(a.join(' '));\n" + pageScript), user);
    }

    private static void assertEndedBy(Harness.Run run, String... kinds) {
        assertThat(run.events().violations()).as("violations: %s", run.events()).singleElement().satisfies(v -> {
            assertThat(v.kind().wireName()).isIn((Object[]) kinds);
            assertThat(v.sessionEnded()).isTrue();
        });
        assertThat(run.session().ended()).isTrue();
        assertThat(run.session().exitCode()).isEqualTo(1);
        // awaitIdle returns as soon as the session is marked ended; the Exit event follows right after.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!(run.events().all().getLast() instanceof RuntimeEvent.Exit) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(run.events().all().getLast()).isInstanceOfSatisfying(RuntimeEvent.Exit.class, e -> assertThat(e.code()).isEqualTo(1));
    }

    private static void assertStoppedEventOnly(Harness.Run run, String kind) {
        assertThat(run.events().violations()).as("violations: %s", run.events()).singleElement().satisfies(v -> {
            assertThat(v.kind().wireName()).isEqualTo(kind);
            assertThat(v.sessionEnded()).isFalse();
        });
        assertThat(run.session().ended()).isFalse();
    }

    @Test
    void infiniteLoopIsACpuViolationThatEndsTheSession() {
        try (var run = run("Page({ spin(){ let i = 0; for (;;) { i++ } } })")) {
            long started = System.nanoTime();
            run.dispatch("spin", "{}");
            assertEndedBy(run, "cpu");
            assertThat(run.events().violations().getFirst().message()).contains("300000 statements");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void infiniteLoopInAppJsIsContained() {
        try (var run = harness.run(TestApps.app("app.js", "while (true) {}\nApp({})"), user)) {
            assertEndedBy(run, "cpu");
            assertThat(run.events().lifecycle()).isEmpty();
        }
    }

    @Test
    void infiniteLoopInATimerCallbackIsContained() {
        try (var run = run("Page({ onLoad(){ setTimeout(() => { while (true) {} }, 1) } })")) {
            assertEndedBy(run, "cpu");
            assertThat(run.events().violations().getFirst().message()).contains("'timer'");
        }
    }

    @Test
    void catastrophicRegexIsStoppedByTheWallClock() {
        // /(a+)+$/ runs in linear time on GraalJS's automaton engine; a back-reference forces backtracking.
        String script = "const log = (...a) => console.log(a.join(' '));\n"
                + "Page({ linear(){ log('linear', /(a+)+$/.test('a'.repeat(5000) + '!')) },"
                + " backtrack(){ /^(a+)+\\1b$/.test('a'.repeat(40) + '!'); log('backtracking finished') },"
                + " after(){ log('after ok') } })";
        try (var run = fastWall.run(TestApps.page(script), user)) {
            run.dispatch("linear", "{}");
            assertThat(run.events().logs()).as("%s", run.events()).contains("linear false");
            long started = System.nanoTime();
            run.dispatch("backtrack", "{}");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(run.events().violations()).singleElement().satisfies(v -> {
                assertThat(v.kind().wireName()).isEqualTo("cpu");
                assertThat(v.message()).contains("longer than 300 ms");
            });
            assertThat(run.events().logs()).doesNotContain("backtracking finished");
            if (!run.session().ended()) {
                run.dispatch("after", "{}");
                assertThat(run.events().logs()).contains("after ok");
            }
        }
    }

    @Test
    void memoryBombEndsTheSessionWithAMemoryViolation() {
        try (var run = run("Page({ bomb(){ const keep = []; for (let i = 0; i < 200; i++) keep.push(new Float64Array(1 << 20)); log('survived', keep.length) } })")) {
            run.dispatch("bomb", "{}");
            assertEndedBy(run, "memory");
            assertThat(run.events().logs()).doesNotContain("survived 200");
        }
    }

    @Test
    void timerFloodIsATimersViolation() {
        String script = "let fired = 0; const ids = [];"
                + "Page({ flood(){ for (let i = 0; i < 150; i++) ids.push(setTimeout(() => { fired++ }, 1)); },"
                + " report(){ log('fired', fired, 'refused', ids.filter(id => id === 0).length, 'accepted', ids.filter(id => id > 0).length) } })";
        try (var run = run(script)) {
            run.dispatch("flood", "{}").dispatch("report", "{}");
            assertStoppedEventOnly(run, "timers");
            assertThat(run.events().violations().getFirst().message()).contains("more than 100 timers pending");
            String report = run.events().logs().getLast();
            int fired = Integer.parseInt(report.split(" ")[1]);
            assertThat(fired).isBetween(1, 100);
        }
    }

    @Test
    void microtaskFloodIsStoppedByACpuOrMemoryLimit() {
        // The jobs run inside the event that queued them, so whichever per-event budget is spent first
        // stops it: statements or allocation (both end the session), or the wall clock (ends the event).
        try (var run = run("Page({ flood(){ function again(){ Promise.resolve().then(again) } again() }, after(){ log('after ok') } })")) {
            run.dispatch("flood", "{}");
            assertThat(run.events().violations()).as("%s", run.events()).singleElement().satisfies(v -> assertThat(v.kind().wireName()).isIn("cpu", "memory"));
            if (run.events().violations().getFirst().sessionEnded()) {
                assertEndedBy(run, "cpu", "memory");
            } else {
                run.dispatch("after", "{}");
                assertThat(run.events().logs()).contains("after ok");
            }
        }
    }

    @Test
    void storageFloodFailsWithTheQuotaReason() {
        String script = "Page({ put(e){ try { wx.setStorageSync('k' + e.detail.i, 'x'.repeat(1000000)); log('stored', e.detail.i) } catch (err) { log('refused', e.detail.i, err.message) } },"
                + " huge(){ try { wx.setStorageSync('huge', 'x'.repeat(1100000)); log('huge stored') } catch (err) { log('huge', err.message) } },"
                + " asyncPut(){ wx.setStorage({ key: 'one-more', data: 'x'.repeat(1000000), fail(r){ log('async', r.errMsg) }, success(){ log('async stored') } }) },"
                + " info(){ const i = wx.getStorageInfoSync(); log('info', i.keys.length, i.currentSize <= i.limitSize, i.limitSize) } })";
        try (var run = run(script)) {
            for (int i = 0; i < 11; i++) {
                run.dispatch("put", "{\"detail\":{\"i\":" + i + "}}");
            }
            run.dispatch("huge", "{}").dispatch("asyncPut", "{}").dispatch("info", "{}");
            List<String> logs = run.events().logs();
            assertThat(logs).filteredOn(l -> l.startsWith("stored")).hasSize(10);
            assertThat(logs).contains("refused 10 setStorageSync:fail storage would exceed its quota of 10485760 bytes",
                    "async setStorage:fail storage would exceed its quota of 10485760 bytes", "info 10 true 10240");
            // Refused either by the storage value limit or, before that, by the bridge's JSON string limit (1 Mi chars).
            assertThat(logs).anyMatch(l -> l.startsWith("huge setStorageSync:fail ")).doesNotContain("huge stored");
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.session().ended()).isFalse();
        }
    }

    @Test
    void consoleFloodIsAConsoleViolation() {
        String script = "Page({ flood(){ const line = 'x'.repeat(1000); for (let i = 0; i < 100; i++) console.log(line); }, after(){ console.log('after ok') } })";
        try (var run = run(script)) {
            run.dispatch("flood", "{}");
            assertStoppedEventOnly(run, "console");
            int bytes = run.events().logs().stream().mapToInt(String::length).sum();
            assertThat(bytes).isLessThanOrEqualTo(64 * 1024);
            run.dispatch("after", "{}");
            assertThat(run.events().logs()).contains("after ok");
        }
    }

    @Test
    void hugeConsoleLineIsTruncatedInTheLog() {
        try (var run = run("Page({ onLoad(){ console.log('y'.repeat(60000)) } })")) {
            assertThat(run.events().logs()).singleElement().satisfies(l -> assertThat(l.length()).isLessThanOrEqualTo(8 * 1024 + 1));
            assertThat(run.events().violations()).isEmpty();
        }
    }

    @Test
    void setDataFloodIsASetDataViolation() {
        String script = "Page({ data: { n: 1 }, flood(){ this.setData({ big: 'x'.repeat(1100000) }) }, after(){ this.setData({ small: 1 }) } })";
        try (var run = run(script)) {
            run.dispatch("flood", "{}");
            assertStoppedEventOnly(run, "setData");
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":1}");
            run.dispatch("after", "{}");
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":1,\"small\":1}");
        }
    }

    @Test
    void giganticAllocationsAreGuestRangeErrors() {
        String script = "Page({ onLoad(){"
                + " for (const [name, f] of [['string', () => 'x'.repeat(2 ** 31)], ['array', () => new Array(2 ** 32)],"
                + "   ['buffer', () => new ArrayBuffer(2 ** 53)], ['typed', () => new Float64Array(2 ** 50)]]) {"
                + "   try { f(); log(name, 'allocated') } catch (e) { log(name, e.name) } } } })";
        try (var run = run(script)) {
            assertThat(run.events().logs()).contains("string RangeError", "array RangeError", "buffer RangeError", "typed RangeError");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @Test
    void guestErrorsThatNameJavaErrorsDoNotDisableTheRuntime() {
        // The runtime stops launching sessions after a real engine fault (CapsuleRuntime.healthy()). A guest
        // must not be able to fake one with the text of its own exceptions: that would let any mini-program
        // (or a backend error message it rethrows) shut the host down for every other mini-program and user.
        // Each attempt gets its own runtime, so that the damage stays inside this test.
        String[] throwers = {"throw 'java.lang.NullPointerException'",
            "throw new Error('backend error: java.lang.NoClassDefFoundError: Could not initialize class X')"};
        List<String> faked = new java.util.ArrayList<>();
        for (String thrower : throwers) {
            try (var own = new Harness(HostServices.defaults(), LIMITS);
                    var run = own.run(TestApps.page("Page({ boom(){ " + thrower + " }, after(){ console.log('after ok') } })"), user)) {
                run.dispatch("boom", "{}").dispatch("after", "{}");
                if (!own.runtime.healthy() || run.session().ended() || !run.events().violations().isEmpty()) {
                    faked.add(thrower + " -> " + run.events().violations() + ", runtime healthy: " + own.runtime.healthy());
                } else {
                    assertThat(run.events().logs()).contains("after ok");
                    own.assertHealthy();
                }
            }
        }
        assertThat(faked).as("guest exceptions taken for engine faults").isEmpty();
    }

    @Test
    void asyncCallbackStormIsBoundedByTheQueue() {
        String script = "let n = 0; Page({ storm(){ for (let i = 0; i < 300; i++) wx.getStorageInfo({ success(){ n++ } }) }, report(){ log('callbacks', n) } })";
        try (var run = run(script)) {
            run.dispatch("storm", "{}").dispatch("report", "{}");
            int callbacks = Integer.parseInt(run.events().logs().getLast().split(" ")[1]);
            assertThat(callbacks).isLessThanOrEqualTo(LIMITS.tasksQueuedMax());
            assertThat(run.events().violations()).as("%s", run.events()).isNotEmpty().allSatisfy(v -> {
                assertThat(v.kind().wireName()).isEqualTo("queue");
                assertThat(v.sessionEnded()).isFalse();
            });
            assertThat(run.session().ended()).isFalse();
        }
    }

    @Test
    void aFullQueueDoesNotLeakTheRequestQuota() {
        // The event fills the queue with callbacks, then makes ten requests (denied at once, on the client's
        // threads) and waits for them. Their completions cannot hop back to the full queue; the in-flight
        // quota they hold must still be released, or the session loses wx.request for good.
        String script = "const busy = ms => { const t = Date.now(); while (Date.now() - t < ms) /(a+)+$/.test('a'.repeat(2000) + '!'); };"
                + "Page({ storm(){ for (let i = 0; i < 220; i++) wx.getStorageInfo({ success(){} });"
                + "   for (let i = 0; i < 10; i++) wx.request({ url: 'https://evil.com/', fail(){} }); busy(200); },"
                + " probe(){ wx.request({ url: 'https://evil.com/', fail(r){ log('probe', r.errMsg) } }) } })";
        try (var run = run(script)) {
            run.dispatch("storm", "{}");
            assertThat(run.events().violations()).as("precondition: the queue was full and the event ran to its end: %s", run.events())
                    .isNotEmpty().allMatch(v -> v.kind().wireName().equals("queue"));
            run.dispatch("probe", "{}");
            assertThat(run.events().logs()).contains("probe request:fail 'evil.com' is not in network.request");
        }
    }

    @Test
    void thousandsOfHostDispatchesAreBoundedByTheQueue() throws Exception {
        // 5000 view events arrive while the loop is held inside one event: at most the queue's worth is
        // kept. The loop is held by a host prompt the "user" answers only once the whole flood has been
        // dispatched, so no queued event can run (and free a slot) while the flood arrives: the bound is
        // exact on any machine.
        var answered = new java.util.concurrent.CountDownLatch(1);
        var prompting = new java.util.concurrent.CountDownLatch(1);
        HostUi heldModal = new HostUi() {
            @Override
            public boolean showModal(String appId, String title, String content, boolean showCancel) {
                prompting.countDown();
                // The overflow's stop may interrupt this thread: the "user" still answers only after the
                // flood, or a slot would free up mid-flood and the count would depend on timing.
                boolean interrupted = false;
                while (answered.getCount() > 0) {
                    try {
                        answered.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public int showActionSheet(String appId, List<String> items) {
                return -1;
            }
        };
        String script = "let n = 0;"
                + " Page({ hold(){ wx.showModal({ title: 'hold', content: 'hold', complete(){ log('answered') } }); log('after the prompt') },"
                + " tick(){ n++ }, report(){ log('ticks', n) } })";
        try (var held = new Harness(HostServices.defaults().withUi(heldModal), LIMITS);
                var run = held.run(TestApps.page("const log = (...a) => console.log(a.join(' '));\n" + script), user)) {
            run.session().dispatch("hold", null, "{}");
            assertThat(prompting.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the loop reached the prompt").isTrue();
            for (int i = 0; i < 5000; i++) {
                run.session().dispatch("tick", null, "{}");
            }
            answered.countDown();
            run.idle().dispatch("report", "{}");
            assertThat(run.events().logs()).as("events: %s", run.events().all()).contains("ticks " + LIMITS.tasksQueuedMax());
            assertThat(run.events().violations()).as("%s", run.events().violations()).singleElement().satisfies(v -> {
                assertThat(v.kind().wireName()).isEqualTo("queue");
                assertThat(v.sessionEnded()).isFalse();
            });
            assertThat(run.session().ended()).isFalse();
        }
    }


    @Test
    void hostileSessionBesideANormalSessionDoesNotDisturbIt() throws Exception {
        String hostile = "Page({ onLoad(){ setInterval(() => { let x = 0; while (x < 60000) x++; new Float64Array(1 << 20);"
                + " console.log('y'.repeat(2000)); }, 0); for (let i = 0; i < 99; i++) setTimeout(() => {}, 100000); } })";
        Recorder hostileEvents = new Recorder();
        try (MiniProgramSession evil = harness.runtime.launchUnverified(TestApps.page(hostile), user + "-evil", hostileEvents);
                var normal = harness.run(TestApps.page("Page({ data: { n: 0 }, inc(){ this.setData({ n: this.data.n + 1 }) } })"), user)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (hostileEvents.logs().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(hostileEvents.logs()).as("the hostile session is running: %s", hostileEvents).hasSizeGreaterThanOrEqualTo(3);
            for (int i = 0; i < 30; i++) {
                normal.dispatch("inc", "{}");
            }
            assertThat(normal.events().lastData("pages/index/index")).isEqualTo("{\"n\":30}");
            assertThat(normal.events().of(RuntimeEvent.Data.class)).hasSize(31);
            assertThat(normal.events().violations()).isEmpty();
            assertThat(normal.session().ended()).isFalse();
            assertThat(evil.ended()).as("the hostile session was still running: %s", hostileEvents).isFalse();
        }
        assertThat(hostileEvents.of(RuntimeEvent.Exit.class)).singleElement().satisfies(e -> assertThat(e.code()).isZero());
    }

    @Test
    void closingABusySessionReportsExitLastAndNoViolation() throws Exception {
        // The host closes a session while one of its events is running: the session ran to its end
        // (exit 0), and Exit is its last event (spec section 5); the event it cut short is not a violation.
        Recorder events = new Recorder();
        String busy = "Page({ spin(){ console.log('started'); const t = Date.now(); while (Date.now() - t < 800) /(a+)+$/.test('a'.repeat(2000) + '!'); } })";
        MiniProgramSession session = harness.runtime.launchUnverified(TestApps.page(busy), user, events);
        session.dispatch("spin", null, "{}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!events.logs().contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        session.close();
        Thread.sleep(300); // anything the cancelled event still reports arrives now
        assertThat(session.exitCode()).isZero();
        assertThat(events.all().getLast()).as("%s", events).isInstanceOf(RuntimeEvent.Exit.class);
        assertThat(events.violations()).isEmpty();
    }
}
