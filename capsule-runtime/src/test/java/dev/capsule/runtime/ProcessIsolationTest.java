package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.testing.RepoPaths;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.HostUi;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tier 2: sessions in worker processes. The proofs issue 4 asks for: a memory bomb ends only its
 * worker, a killed worker is noticed within a second and replaced, policy stays in the host, and a
 * real mini-program behaves exactly as it does in-process.
 */
class ProcessIsolationTest {
    private static final List<AuditEvent> AUDIT = Collections.synchronizedList(new ArrayList<>());
    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = Harness.inWorkers(HostServices.defaults().withAudit(AUDIT::add), WorkerLimits.DEFAULTS.withWorkers(8, 2));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void sessionRunsInASandboxedWorkerAndUsesHostStorage() {
        assertThat(harness.runtime.isolation()).isEqualTo(Isolation.PROCESS);
        assertThat(harness.runtime.sandboxed()).isTrue();
        try (var run = harness.run(TestApps.page(
                "Page({data:{n:1}, onLoad(){ wx.setStorageSync('k', {a: 1}); this.setData({n: wx.getStorageSync('k').a + 1}); console.log('hi'); }})"))) {
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":2}");
            assertThat(run.events().logs()).contains("hi");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
            assertThat(run.events().all().getFirst()).isEqualTo(new RuntimeEvent.Launch("com.example.test", "1.0.0", false, "user-1"));
        }
        // The value lives in the host's encrypted storage, not in the (gone) worker.
        try (var run = harness.run(TestApps.page("Page({onLoad(){ console.log('k=' + JSON.stringify(wx.getStorageSync('k'))); }})"))) {
            assertThat(run.events().logs()).contains("k={\"a\":1}");
        }
    }

    @Test
    void memoryBombEndsOnlyItsWorker() throws Exception {
        try (var bystander = harness.run(TestApps.page("Page({data:{n:0}, bump(){ this.setData({n: this.data.n + 1}); }})"), "bystander")) {
            long hostHeapBefore = usedHeapAfterGc();
            Recorder bomb = new Recorder();
            CountDownLatch exited = new CountDownLatch(1);
            MiniProgramSession session = harness.runtime.launchUnverified(TestApps.page(
                    "globalThis.hold = []; Page({onLoad(){ setInterval(() => { hold.push(new Array(2000000).fill(1.5)); }, 1); }})"),
                    "bomber", e -> { bomb.accept(e); if (e instanceof RuntimeEvent.Exit) exited.countDown(); });
            assertThat(exited.await(60, TimeUnit.SECONDS)).as("the bomb's session ended").isTrue();
            assertThat(bomb.violations()).singleElement().satisfies(v -> {
                assertThat(v.kind().wireName()).isEqualTo("memory");
                assertThat(v.message()).isEqualTo("the worker process ran out of memory");
                assertThat(v.sessionEnded()).isTrue();
            });
            assertThat(session.exitCode()).isEqualTo(1);
            assertThat(usedHeapAfterGc() - hostHeapBefore).as("host heap growth").isLessThan(32L * 1024 * 1024);
            assertThat(List.copyOf(AUDIT)).anySatisfy(a -> {
                assertThat(a.userId()).isEqualTo("bomber");
                assertThat(a.action()).isEqualTo("violation");
                assertThat(a.outcome()).isEqualTo("memory");
            });
            bystander.dispatch("bump", "{}").dispatch("bump", "{}");
            assertThat(bystander.events().lastData("pages/index/index")).isEqualTo("{\"n\":2}");
            assertThat(bystander.session().ended()).isFalse();
        }
        harness.assertHealthy();
    }

    @Test
    void killedWorkerIsDetectedWithinOneSecondAndThePoolRefills() throws Exception {
        Recorder events = new Recorder();
        CountDownLatch exited = new CountDownLatch(1);
        long[] exitNanos = new long[1];
        MiniProgramSession session = harness.runtime.launchUnverified(TestApps.page("Page({})"), "victim", e -> {
            events.accept(e);
            if (e instanceof RuntimeEvent.Exit) {
                exitNanos[0] = System.nanoTime();
                exited.countDown();
            }
        });
        assertThat(session.awaitIdle(Duration.ofSeconds(20))).isTrue();
        ProcessHandle jvm = workerJvm(session);
        long killed = System.nanoTime();
        jvm.destroyForcibly();
        assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(exitNanos[0] - killed)).as("detection time, ms").isLessThan(1_000);
        assertThat(events.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind().wireName()).isEqualTo("worker");
            assertThat(v.message()).startsWith("the worker process was killed");
        });
        assertThat(session.ended()).isTrue();
        assertThat(session.exitCode()).isEqualTo(1);
        harness.assertHealthy();
    }

    @Test
    void workerDeathIsSeenWithinOneSecondEvenWhileAHostPromptWaits() throws Exception {
        CountDownLatch prompted = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        HostUi slowUser = new HostUi() {
            @Override
            public boolean showModal(String appId, String title, String content, boolean showCancel) {
                prompted.countDown();
                try {
                    answer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public int showActionSheet(String appId, List<String> items) {
                return -1;
            }
        };
        // One session, so no ready worker: one would start ahead of the launch's own (on the pool's one
        // spawner thread, delaying it) and be killed unused at close.
        try (Harness prompting = Harness.inWorkers(HostServices.defaults().withUi(slowUser), WorkerLimits.DEFAULTS.withWorkers(1, 0))) {
            CountDownLatch exited = new CountDownLatch(1);
            long[] exitNanos = new long[1];
            MiniProgramSession session = prompting.runtime.launchUnverified(TestApps.page("Page({onLoad(){ wx.showModal({title: 't'}); }})"),
                    "prompted", e -> {
                        if (e instanceof RuntimeEvent.Exit) {
                            exitNanos[0] = System.nanoTime();
                            exited.countDown();
                        }
                    });
            assertThat(prompted.await(60, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            workerJvm(session).destroyForcibly();
            assertThat(exited.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(exitNanos[0] - killed)).as("detection time, ms").isLessThan(1_000);
            answer.countDown();
        }
    }

    @Test
    void policyStaysInTheHost() {
        AUDIT.clear();
        try (var run = harness.run(TestApps.page("Page({onLoad(){ wx.request({url: 'https://evil.example.net/x', fail(r){ console.log(r.errMsg) }});"
                + " console.log('login ' + typeof wx.login + ' pay ' + typeof wx.requestPayment); }})"), "policy")) {
            assertThat(run.events().logs()).contains("login undefined pay undefined")
                    .anySatisfy(l -> assertThat(l).startsWith("request:fail").contains("evil.example.net"));
            assertThat(List.copyOf(AUDIT)).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo("wx.request");
                assertThat(a.outcome()).isEqualTo("denied");
                assertThat(a.userId()).isEqualTo("policy");
            });
        }
    }

    @Test
    void launchBeyondTheWorkerLimitFailsClearly() throws Exception {
        try (Harness small = Harness.inWorkers(HostServices.defaults(), WorkerLimits.DEFAULTS.withWorkers(1, 0))) {
            try (var first = small.run(TestApps.page("Page({})"))) {
                assertThatThrownBy(() -> small.runtime.launchUnverified(TestApps.page("Page({})"), "second", e -> { }))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("all 1 worker processes are in use; try again when a session ends");
            }
        }
    }

    @Test
    void todoExampleBehavesExactlyAsInProcess() throws Exception {
        CapsulePackage todo = PackageReader.read(Packer.pack(RepoPaths.example("todo")));
        List<String> inWorker = script(harness, todo);
        try (Harness inProcess = new Harness()) {
            assertThat(inWorker).isEqualTo(script(inProcess, todo)).hasSizeGreaterThan(20);
        }
    }

    @Test
    void aWorkerStartedWithoutWarmUpsBehavesExactlyAsInProcess() throws Exception {
        CapsulePackage todo = PackageReader.read(Packer.pack(RepoPaths.example("todo")));
        try (Harness cold = Harness.inWorkers(HostServices.defaults(), WorkerLimits.DEFAULTS.withWorkers(1, 0).withWarmUp(false));
                Harness inProcess = new Harness()) {
            assertThat(script(cold, todo)).isEqualTo(script(inProcess, todo)).hasSizeGreaterThan(20);
        }
    }

    private static List<String> script(Harness h, CapsulePackage pkg) {
        try (var run = h.run(pkg, "parity")) {
            run.dispatch("onAdd", "{}")
                    .dispatch("onInput", "{\"detail\":{\"value\":\"milk\"}}").dispatch("onAdd", "{}")
                    .dispatch("onInput", "{\"detail\":{\"value\":\"eggs\"}}").dispatch("onAdd", "{}")
                    .dispatch("onToggle", "{\"currentTarget\":{\"dataset\":{\"index\":0}}}")
                    .dispatch("onClearCompleted", "{}")
                    .dispatch("onAbout", "{}").dispatch("onBack", "pages/about/about", "{}");
            run.close();
            return run.events().all().stream().map(e -> e.toString().replaceAll("\\d{13}", "T")).toList();
        }
    }

    private static ProcessHandle workerJvm(MiniProgramSession session) throws Exception {
        var method = session.getClass().getDeclaredMethod("process");
        method.setAccessible(true);
        var process = (Process) method.invoke(session);
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
