package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.host.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A host stops a running session for its own reason ({@link MiniProgramSession#stop}, {@code revoked}):
 * within 5 s whether the guest is busy in a long event or idle with timers pending, in both tiers, with
 * the same event stream, and the guest really stops (what it would have written after the stop never
 * reaches storage).
 */
class HostStopTest {
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);
    private static final List<AuditEvent> AUDIT = Collections.synchronizedList(new ArrayList<>());
    private static Harness inProcess;
    private static Harness inWorkers;

    /** Logs, then spins for most of its wall-clock budget, then would write storage. */
    private static final CapsulePackage BUSY = TestApps.page("""
            Page({ spin() {
                console.log('busy');
                const until = Date.now() + 1800; while (Date.now() < until) {}
                wx.setStorageSync('after', 'the guest ran on');
            } })""");

    /** Idle with a timer due later that would write storage, and an interval keeping it from ever being idle for good. */
    private static final CapsulePackage TIMERS = TestApps.page("""
            Page({ onReady() {
                setTimeout(() => wx.setStorageSync('after', 'a timer ran'), 1500);
                setInterval(() => {}, 200);
                console.log('armed');
            } })""");

    @BeforeAll
    static void start() {
        HostServices services = HostServices.defaults().withAudit(AUDIT::add);
        inProcess = new Harness(services, RuntimeLimits.DEFAULTS);
        inWorkers = Harness.inWorkers(services, WorkerLimits.DEFAULTS.withWorkers(4, 1));
    }

    @AfterAll
    static void stop() {
        inProcess.close();
        inWorkers.close();
    }

    private static Harness harness(Isolation tier) {
        return tier == Isolation.PROCESS ? inWorkers : inProcess;
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void revokedStopsASessionBusyInALongEventWithin5Seconds(Isolation tier) throws Exception {
        List<RuntimeEvent> events = stopWhen(tier, BUSY, "busy-" + tier, session -> session.dispatch("spin", null, "{}"), "busy");
        assertThat(events.getLast()).isEqualTo(new RuntimeEvent.Exit(1, "revoked: version 1.0.0 was revoked (malware)"));
        assertThat(events).noneMatch(e -> e instanceof RuntimeEvent.Violation);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void revokedStopsAnIdleSessionWithTimersPendingWithin5Seconds(Isolation tier) throws Exception {
        List<RuntimeEvent> events = stopWhen(tier, TIMERS, "timers-" + tier, session -> {}, "armed");
        assertThat(events.getLast()).isEqualTo(new RuntimeEvent.Exit(1, "revoked: version 1.0.0 was revoked (malware)"));
    }

    @Test
    void bothTiersGiveTheSameEventStream() throws Exception {
        for (CapsulePackage pkg : List.of(BUSY, TIMERS)) {
            String marker = pkg == BUSY ? "busy" : "armed";
            java.util.function.Consumer<MiniProgramSession> poke = pkg == BUSY ? s -> s.dispatch("spin", null, "{}") : s -> {};
            List<RuntimeEvent> inProcessEvents = stopWhen(Isolation.IN_PROCESS, pkg, "same-a-" + marker, poke, marker);
            List<RuntimeEvent> workerEvents = stopWhen(Isolation.PROCESS, pkg, "same-b-" + marker, poke, marker);
            assertThat(workerEvents.stream().map(HostStopTest::withoutUser).toList())
                    .isEqualTo(inProcessEvents.stream().map(HostStopTest::withoutUser).toList())
                    .hasSizeGreaterThan(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void stopIsAuditedOnceWithItsReason(Isolation tier) throws Exception {
        String user = "audited-" + tier;
        stopWhen(tier, TIMERS, user, s -> {}, "armed");
        assertThat(AUDIT.stream().filter(a -> a.userId().equals(user) && a.action().equals("session stopped")).toList())
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.outcome()).isEqualTo("revoked");
                    assertThat(a.detail()).isEqualTo("version 1.0.0 was revoked (malware)");
                });
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void stoppingAnEndedSessionChangesNothing(Isolation tier) throws Exception {
        String user = "ended-" + tier;
        Harness.Run run = harness(tier).run(TestApps.page("Page({})"), user);
        run.close();
        run.session().stop(StopReason.REVOKED, "too late");
        assertThat(run.session().exitCode()).isZero();
        assertThat(run.events().all().getLast()).isEqualTo(new RuntimeEvent.Exit(0, "closed"));
        assertThat(AUDIT).noneMatch(a -> a.userId().equals(user) && a.action().equals("session stopped"));
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theDetailIsEscaped(Isolation tier) throws Exception {
        Harness.Run run = harness(tier).run(TestApps.page("Page({})"), "escaped-" + tier);
        run.session().stop(StopReason.REVOKED, "bad\nexit 0\u202e");
        assertThat(((RuntimeEvent.Exit) run.events().all().getLast()).reason()).isEqualTo("revoked: bad\\u000aexit 0\\u202e");
        run.close();
    }

    /**
     * Launches, pokes, waits for the log line {@code marker}, stops with {@code revoked}, and checks the
     * stop: the exit is delivered by the time stop returns, well within 5 s, the session ended with code
     * 1, and 2.5 s later (past the busy loop and the timer) the guest has written nothing.
     */
    private static List<RuntimeEvent> stopWhen(Isolation tier, CapsulePackage pkg, String user,
            java.util.function.Consumer<MiniProgramSession> poke, String marker) throws Exception {
        Harness h = harness(tier);
        Recorder recorder = new Recorder();
        MiniProgramSession session = h.runtime.launchUnverified(pkg, user, recorder);
        try {
            poke.accept(session);
            awaitLog(recorder, marker);
            long began = System.nanoTime();
            session.stop(StopReason.REVOKED, "version 1.0.0 was revoked (malware)");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertThat(tookMillis).as("stop took").isLessThan(STOP_WITHIN.toMillis());
            assertThat(session.ended()).isTrue();
            assertThat(session.exitCode()).isEqualTo(1);
            assertThat(recorder.all().getLast()).isInstanceOf(RuntimeEvent.Exit.class);
            if (tier == Isolation.PROCESS) {
                assertThat(workerProcess(session).onExit().get(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS).isAlive()).isFalse();
            }
            Thread.sleep(2_500);
        } finally {
            session.close();
        }
        assertThat(h.storage.open("com.example.test", user).get("after")).as("what the guest would have written after the stop").isEmpty();
        return recorder.all();
    }

    private static void awaitLog(Recorder recorder, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Harness.IDLE_WAIT.toNanos();
        Predicate<RuntimeEvent> seen = e -> e instanceof RuntimeEvent.Log l && l.text().equals(text);
        while (recorder.all().stream().noneMatch(seen)) {
            assertThat(System.nanoTime()).as("waiting for log '" + text + "'").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static RuntimeEvent withoutUser(RuntimeEvent e) {
        return e instanceof RuntimeEvent.Launch l ? new RuntimeEvent.Launch(l.appId(), l.version(), l.verified(), "-") : e;
    }

    private static Process workerProcess(MiniProgramSession session) throws Exception {
        var method = session.getClass().getDeclaredMethod("process");
        method.setAccessible(true);
        return (Process) method.invoke(session);
    }
}
