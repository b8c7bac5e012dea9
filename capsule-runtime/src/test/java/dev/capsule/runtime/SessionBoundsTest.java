package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.net.GuardedHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bounds a session lives under whichever tier runs it: one audit cap, a session output cap, host
 * work on the event's clock, and an end to an event that no interrupt can stop. Each test runs in
 * both tiers and expects the same outcome.
 */
class SessionBoundsTest {
    /** The audit cap of a session (dev.capsule.runtime.internal.AuditRecorder.RECORDS_PER_SESSION_MAX). */
    private static final int AUDIT_RECORDS_PER_SESSION_MAX = 1_000;

    private static Harness harness(Isolation isolation, HostServices services, RuntimeLimits limits) {
        return new Harness(isolation, services, limits, GuardedHttpClient.create(), true, WorkerLimits.DEFAULTS.withWorkers(2, 0));
    }

    private static void awaitExit(Harness.Run run, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!(run.events().all().getLast() instanceof RuntimeEvent.Exit) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aNavigateToLoopIsAuditedUpToTheSessionsOneCap(Isolation isolation) {
        List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
        try (Harness h = harness(isolation, HostServices.defaults().withAudit(audit::add), RuntimeLimits.DEFAULTS);
                var run = h.run(TestApps.page("Page({ go(){ for (let i = 0; i < 400; i++) wx.navigateTo({ url: '/pages/nope/nope' }); } })"))) {
            for (int i = 0; i < 4; i++) {
                run.dispatch("go", "{}"); // 1,600 denials in all, each audited until the cap
            }
            assertThat(run.events().apis("navigateTo")).hasSize(1_600).allSatisfy(a -> assertThat(a.ok()).isFalse());
            assertThat(audit).filteredOn(a -> a.action().equals("wx.navigateTo")).hasSize(AUDIT_RECORDS_PER_SESSION_MAX)
                    .allSatisfy(a -> assertThat(a.outcome()).isEqualTo("denied"));
            assertThat(audit).filteredOn(a -> a.action().equals("audit")).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("capped");
                assertThat(a.detail()).contains("1000 audit records");
            });
            assertThat(audit).hasSize(AUDIT_RECORDS_PER_SESSION_MAX + 1);
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUninterruptibleBigIntOperationEndsTheSessionWithACpuViolation(Isolation isolation) throws Exception {
        // 7n ** 9000000n is one engine operation of seconds (about 6 s here): neither Context.interrupt nor
        // cancel stops it until it returns. The session must end a margin after the 300 ms limit, long before.
        RuntimeLimits limits = RuntimeLimits.DEFAULTS.withEventWallMillisMax(300);
        List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
        List<String> operatorLog = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                operatorLog.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger runtimeLog = Logger.getLogger("dev.capsule.runtime");
        runtimeLog.addHandler(handler);
        try (Harness h = harness(isolation, HostServices.defaults().withAudit(audit::add), limits);
                var _ = h.run(TestApps.page("Page({})"), "warm-up"); // a cold engine's first launch may take longer than 300 ms
                var run = h.run(TestApps.page("Page({ big(){ const t = Date.now(); const x = 7n ** 9000000n; console.log('done', Date.now() - t, x > 0n); } })"))) {
            long started = System.nanoTime();
            run.session().dispatch("big", null, "{}");
            awaitExit(run, Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("ended after %s: %s", took, run.events()).isLessThan(Duration.ofMillis(3_500));
            assertThat(run.events().violations()).as("%s", run.events()).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.CPU);
                assertThat(v.sessionEnded()).isTrue();
            });
            assertThat(run.events().all().getLast()).isInstanceOfSatisfying(RuntimeEvent.Exit.class, e -> assertThat(e.code()).isEqualTo(1));
            assertThat(run.session().exitCode()).isEqualTo(1);
            assertThat(run.events().logs()).noneMatch(l -> l.startsWith("done"));
            assertThat(audit).anySatisfy(a -> assertThat(a.outcome()).isEqualTo("cpu"));
            if (isolation == Isolation.IN_PROCESS) {
                // The operator learns that a host thread is still busy with the guest's operation.
                assertThat(operatorLog).anySatisfy(m -> assertThat(m).contains("event 'big'").contains("is left to finish"));
            }
        } finally {
            runtimeLog.removeHandler(handler);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void hostWorkForPolicyCallsCountsAgainstTheEventsWallClock(Isolation isolation) {
        // Nearly all of this loop's time is host work (synced storage writes): it must be stopped by the wall clock.
        // 100 ms, not 300: in a worker each call allocates some kilobytes, and a fast machine's 300 ms of calls can
        // reach the event's 64 MiB allocation limit first (a memory violation, which is not what this test is about).
        RuntimeLimits limits = RuntimeLimits.DEFAULTS.withEventWallMillisMax(HOST_WORK_WALL_MILLIS);
        try (Harness h = harness(isolation, HostServices.defaults(), limits);
                var _ = h.run(TestApps.page("Page({})"), "warm-up"); // a cold engine's first launch may take longer than 300 ms
                var run = h.run(TestApps.page("Page({ go(){ for (let i = 0; ; i++) wx.setStorageSync('k' + (i % 50), i); } })"))) {
            assertTheClockStops(run, HOST_WORK_WALL_MILLIS);
        }
    }

    static final long HOST_WORK_WALL_MILLIS = 100;

    private static void assertTheClockStops(Harness.Run run) {
        assertTheClockStops(run, 300);
    }

    /** Dispatches the page's endless {@code go} loop: a cpu violation at the {@code millis} limit ends it, within 10 times that. */
    private static void assertTheClockStops(Harness.Run run, long millis) {
        long started = System.nanoTime();
        run.dispatch("go", "{}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(run.events().violations()).as("%s", run.events()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.CPU);
            assertThat(v.message()).contains("longer than " + millis + " ms");
        });
        assertThat(took).as("the loop ran for %s", took).isLessThan(Duration.ofMillis(millis * 10));
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void slowHostWorkStopsTheEventOnTime(Isolation isolation) {
        // A host whose consent ledger takes 20 ms a read: each wx.getSetting is almost all host work, which
        // must count against the 300 ms limit (left off the clock, the loop would run for many seconds).
        ConsentLedger ledger = new InMemoryConsentLedger();
        ConsentLedger slow = new ConsentLedger() {
            @Override
            public Optional<Decision> current(String appId, String userId, String scope) {
                return ledger.current(appId, userId, scope);
            }

            @Override
            public void record(String appId, String userId, Topic topic, boolean granted) {
                ledger.record(appId, userId, topic, granted);
            }

            @Override
            public SortedMap<String, Decision> decisions(String appId, String userId) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ledger.decisions(appId, userId);
            }

            @Override
            public boolean withdraw(String appId, String userId, String scope) {
                return ledger.withdraw(appId, userId, scope);
            }

            @Override
            public boolean allow(String appId, String userId, String scope) {
                return ledger.allow(appId, userId, scope);
            }
        };
        HostServices services = HostServices.defaults().withConsent(HostServices.defaults().consentPrompter(), slow);
        RuntimeLimits limits = RuntimeLimits.DEFAULTS.withEventWallMillisMax(300);
        try (Harness h = harness(isolation, services, limits);
                var _ = h.run(TestApps.page("Page({})"), "warm-up");
                var run = h.run(TestApps.page("Page({ go(){ for (;;) wx.getSetting({}); } })"))) {
            assertTheClockStops(run);
            assertThat(run.events().apis("getSetting")).as("host calls made").hasSizeLessThan(100);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aSessionsTotalOutputIsCapped(Isolation isolation) {
        // Each event stays under the per-event console cap; together they pass the session's cap of 100,000 bytes.
        RuntimeLimits limits = RuntimeLimits.DEFAULTS.withSessionOutputBytesMax(100_000);
        try (Harness h = harness(isolation, HostServices.defaults(), limits);
                var run = h.run(TestApps.page("Page({ go(){ for (let i = 0; i < 40; i++) console.log('x'.repeat(1000)); } })"))) {
            for (int i = 0; i < 5 && !run.session().ended(); i++) {
                run.dispatch("go", "{}");
            }
            String events = run.events().all().stream().map(e -> e instanceof RuntimeEvent.Log ? "Log" : e.toString()).toList().toString();
            assertThat(run.events().violations()).as("%s", events).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.OUTPUT);
                assertThat(v.message()).isEqualTo("the session delivered more than 100000 bytes of output");
                assertThat(v.sessionEnded()).isTrue();
            });
            assertThat(run.session().ended()).isTrue();
            assertThat(run.session().exitCode()).isEqualTo(1);
            assertThat(run.events().logs().stream().mapToLong(String::length).sum()).isLessThanOrEqualTo(100_000);
            assertThat(run.events().logs()).hasSizeGreaterThanOrEqualTo(80); // what fitted was delivered
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void pageDataIsTheSameLineSafeJsonInBothTiers(Isolation isolation) {
        // U+2028, U+2029 and U+0085 are line breaks to some line splitters: written as escapes, in either tier.
        try (Harness h = harness(isolation, HostServices.defaults(), RuntimeLimits.DEFAULTS);
                var run = h.run(TestApps.page("Page({ data: { s: 'a\\u2028b\\u2029c\\u0085d\\ne' } })"))) {
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"s\":\"a\\u2028b\\u2029c\\u0085d\\ne\"}");
        }
    }
}
