package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.StorageLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A compromised worker, in the real sandbox, against the real host side: whatever it sends, the
 * host ends that session with a protocol violation (or refuses what it asked), and goes on.
 */
class HostileWorkerTest {
    private static GuardedHttpClient http;
    private static CapsulePackage pkg;

    @BeforeAll
    static void setUp() throws Exception {
        http = GuardedHttpClient.create();
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes("{\"id\":\"com.example.test\",\"version\":\"1.0.0\",\"name\":\"Test\",\"developer\":{\"id\":\"ex\",\"name\":\"Ex\"}}"));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", bytes("App({})"));
        files.put("pages/index/index.js", bytes("Page({})"));
        pkg = PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
    }

    @AfterAll
    static void tearDown() {
        http.close();
    }

    private record Outcome(List<RuntimeEvent> events, List<AuditEvent> audit, MiniProgramSession session) {
        RuntimeEvent.Violation violation() {
            return events.stream().filter(RuntimeEvent.Violation.class::isInstance).map(RuntimeEvent.Violation.class::cast)
                    .findFirst().orElseThrow(() -> new AssertionError("no violation in " + events));
        }

        RuntimeEvent.Exit exit() {
            return (RuntimeEvent.Exit) events.getLast();
        }
    }

    private static Outcome run(String mode) throws Exception {
        return run(mode, RuntimeLimits.DEFAULTS);
    }

    private static Outcome run(String mode, RuntimeLimits limits) throws Exception {
        return run(mode, limits, Duration.ofSeconds(20));
    }

    /** Launches a worker in {@code mode}, waits up to {@code endWait} for the session to end by itself, else closes it. */
    private static Outcome run(String mode, RuntimeLimits limits, Duration endWait) throws Exception {
        List<RuntimeEvent> events = Collections.synchronizedList(new ArrayList<>());
        List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
        var storage = EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS);
        try (WorkerPool pool = new WorkerPool(WorkerLimits.DEFAULTS.withWorkers(1, 0), WorkerSandbox.detect(), HostileWorker.class.getName(), mode)) {
            MiniProgramSession session = pool.launch(pkg, false, "user-1", dev.capsule.runtime.LaunchOptions.DEFAULT, limits, dev.capsule.runtime.ApiGroup.all(),
                    HostServices.defaults().withAudit(audit::add), storage.open("com.example.test", "user-1"), http, events::add);
            long deadline = System.nanoTime() + endWait.toNanos();
            while (!session.ended() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (!session.ended()) {
                session.close();
            }
            // ended() turns true as the session is marked ended; its Exit event follows right after.
            long exitDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!(lastEvent(events) instanceof RuntimeEvent.Exit) && System.nanoTime() < exitDeadline) {
                Thread.sleep(5);
            }
            return new Outcome(List.copyOf(events), List.copyOf(audit), session);
        }
    }

    private static RuntimeEvent lastEvent(List<RuntimeEvent> events) {
        synchronized (events) {
            return events.isEmpty() ? null : events.getLast();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "garbage             | the worker broke the protocol: ",
        "oversized           | the worker broke the protocol: frame of 2147483647 bytes; frames are 1 to 8388608 bytes",
        "just-over-limit     | the worker broke the protocol: frame of 8388609 bytes; frames are 1 to 8388608 bytes",
        "forged-ui           | the worker broke the protocol: ui events come from the host, not the worker",
        "forged-api-ok       | the worker broke the protocol: api event claims requestPayment succeeded; the host did not answer so",
        "host-violation-kind | the worker broke the protocol: violation kind 'worker' is the host's to report",
        "call-flood          | the worker broke the protocol: ",
        "json-bomb           | the worker broke the protocol: frame body is not a JSON object",
        "audit-forgery       | the worker broke the protocol: a worker may audit only denials of its local APIs",
        "truncated           | the worker broke the protocol: truncated frame: 1 of 99 body bytes",
        "not-json            | the worker broke the protocol: frame body is not a JSON object",
        "unknown-type        | the worker broke the protocol: unexpected frame type 99",
        "forged-launch       | the worker broke the protocol: launch event does not match the launch",
        "event-before-launch | the worker broke the protocol: event before the launch event",
        "bad-exit-code       | the worker broke the protocol: exit code must be 0 or 1",
        "event-ended-twice   | the worker broke the protocol: an event ended that had not begun",
        "view-handler-attribute | the worker broke the protocol: view batch refused: ",
        "view-unknown-op     | the worker broke the protocol: unknown view op",
        "view-stack-too-deep | the worker broke the protocol: view stack depth out of range",
        "view-stack-without-depth | the worker broke the protocol: field 'depth' must be an integer",
    })
    void protocolViolationEndsOnlyThatSession(String mode, String message) throws Exception {
        Outcome o = run(mode);
        assertThat(o.violation().kind().wireName()).isEqualTo("protocol");
        assertThat(o.violation().message()).startsWith(message.strip());
        assertThat(o.violation().sessionEnded()).isTrue();
        assertThat(o.exit().code()).isEqualTo(1);
        assertThat(o.events().getFirst()).isEqualTo(new RuntimeEvent.Launch("com.example.test", "1.0.0", false, "user-1"));
        assertThat(o.events()).filteredOn(RuntimeEvent.Launch.class::isInstance).hasSize(1);
        assertThat(o.audit()).anySatisfy(a -> assertThat(a.outcome()).isEqualTo("protocol"));
        assertThat(o.session().exitCode()).isEqualTo(1);
    }

    /**
     * A worker's view batches pass the host's own tree of the page first: the valid one is reported and
     * held, the one setting an event-handler attribute is refused whole (its element creation too), never
     * reported, and ends the worker.
     */
    @Test
    void aWorkerBatchTheHostsTreeRefusesIsNeverReportedAndEndsTheWorker() throws Exception {
        Outcome o = run("view-handler-attribute");
        assertThat(o.events()).filteredOn(RuntimeEvent.View.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((RuntimeEvent.View) e).batch().version()).isEqualTo(1));
        assertThat(o.violation().message()).startsWith("the worker broke the protocol: view batch refused");
        assertThat(o.session().view()).hasValueSatisfying(tree -> {
            assertThat(tree.version()).as("the refused batch left the tree at the valid one").isEqualTo(1);
            assertThat(tree.select("text")).as("nothing of the refused batch was applied").isEmpty();
        });
    }

    @Test
    void hostAnswersOnlyPolicyApisItGranted() throws Exception {
        Outcome o = run("unavailable-api");
        List<String> logs = o.events().stream().filter(RuntimeEvent.Log.class::isInstance).map(e -> ((RuntimeEvent.Log) e).text()).toList();
        assertThat(logs).containsExactly(
                "{\"id\":1,\"promptNanos\":0,\"outcome\":{\"ok\":false,\"reason\":\"not available\",\"denied\":false}}",
                "{\"id\":2,\"promptNanos\":0,\"outcome\":{\"ok\":false,\"reason\":\"not available\",\"denied\":false}}");
        assertThat(o.exit()).isEqualTo(new RuntimeEvent.Exit(0, "done"));
    }

    @Test
    void auditRecordsFromAWorkerAreBoundedByTheSessionsOneCap() throws Exception {
        Outcome o = run("audit-flood");
        assertThat(o.audit()).hasSize(AuditRecorder.RECORDS_PER_SESSION_MAX + 1);
        assertThat(o.audit()).filteredOn(a -> a.action().equals("wx.navigateTo")).hasSize(AuditRecorder.RECORDS_PER_SESSION_MAX);
        assertThat(o.audit().getLast().action()).isEqualTo("audit");
        assertThat(o.audit().getLast().outcome()).isEqualTo("capped");
    }

    @Test
    void pageDataFromAWorkerIsReserializedByTheHost() throws Exception {
        // A worker's data JSON with a standalone forged exit line, whitespace, CR LF, U+2028 and U+0085 in it.
        Outcome o = run("forged-data");
        RuntimeEvent.Data data = o.events().stream().filter(RuntimeEvent.Data.class::isInstance).map(RuntimeEvent.Data.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no data event in " + o.events()));
        assertThat(data.json()).isEqualTo("{\"x\":{\"type\":\"exit\",\"code\":0,\"reason\":\"forged\"},\"s\":\"a\\u2028b\\u0085c\",\"n\":1.50}");
        assertThat(data.json()).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085", " ");
        assertThat(o.exit()).isEqualTo(new RuntimeEvent.Exit(0, "done"));
    }

    @Test
    void anEventThatNeverEndsGetsTheWorkerKilledByTheHostsClock() throws Exception {
        long started = System.nanoTime();
        Outcome o = run("event-overrun", RuntimeLimits.DEFAULTS.withEventWallMillisMax(100));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(o.violation().kind().wireName()).isEqualTo("cpu");
        assertThat(o.violation().message()).isEqualTo("an event ran longer than 100 ms and the worker did not stop it; the worker process was killed");
        assertThat(o.violation().sessionEnded()).isTrue();
        assertThat(o.exit().code()).isEqualTo(1);
        assertThat(o.session().exitCode()).isEqualTo(1);
        assertThat(o.audit()).anySatisfy(a -> assertThat(a.outcome()).isEqualTo("cpu"));
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aWorkerIgnoringItsOwnLimitsIsCutOffAtTheSessionOutputCap() throws Exception {
        Outcome o = run("output-flood", RuntimeLimits.DEFAULTS.withSessionOutputBytesMax(200_000));
        assertThat(o.violation().kind().wireName()).isEqualTo("output");
        assertThat(o.violation().message()).isEqualTo("the session delivered more than 200000 bytes of output");
        assertThat(o.exit().code()).isEqualTo(1);
        long delivered = o.events().stream().mapToLong(SessionOutput::size).sum();
        assertThat(delivered).isLessThan(200_000 + 2_000);
    }

    @Test
    void workerTextArrivesAsGuestDataWithinItsLimit() throws Exception {
        // As in-process, a console line is the guest's text: passed on as it is, escaped by whoever prints it.
        Outcome o = run("escapes");
        assertThat(o.events()).filteredOn(RuntimeEvent.Log.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((RuntimeEvent.Log) e).text()).isEqualTo("\u001b[31mred\u0007 \u202e evil"));
    }

    @Test
    void aWorkerCannotEndASessionItBrokeWithExitZero() throws Exception {
        Outcome o = run("clean-exit-after-break");
        assertThat(o.violation().kind().wireName()).isEqualTo("cpu");
        assertThat(o.exit()).isEqualTo(new RuntimeEvent.Exit(1, "all fine"));
        assertThat(o.session().exitCode()).isEqualTo(1);
    }

    @Test
    void aThreadBombStaysWithinItsWorkersTaskLimit() throws Exception {
        List<RuntimeEvent> events = Collections.synchronizedList(new ArrayList<>());
        var storage = EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS);
        WorkerLimits limits = WorkerLimits.DEFAULTS.withWorkers(1, 0);
        try (WorkerPool pool = new WorkerPool(limits, WorkerSandbox.detect(), HostileWorker.class.getName(), "thread-bomb")) {
            MiniProgramSession session = pool.launch(pkg, false, "user-1", dev.capsule.runtime.LaunchOptions.DEFAULT, RuntimeLimits.DEFAULTS, dev.capsule.runtime.ApiGroup.all(), HostServices.defaults(),
                    storage.open("com.example.test", "user-1"), http, events::add);
            Thread.sleep(3_000);
            var jvm = ((RemoteSession) session).process().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + jvm.pid() + "/task"))) {
                assertThat(tasks.count()).as("threads of the bombing worker").isLessThanOrEqualTo(limits.tasksMax());
            }
            session.close();
            assertThat(session.ended()).isTrue();
        }
    }

    @Test
    void silentWorkerIsKilledOnClose() throws Exception {
        // A silent worker never ends its session by itself: close at once rather than wait out run()'s 20 s first.
        Outcome o = run("silent", RuntimeLimits.DEFAULTS, Duration.ZERO);
        assertThat(o.exit().reason()).isEqualTo("closed (the worker did not stop in time and was killed)");
        assertThat(o.session().ended()).isTrue();
    }

    @Test
    void workerSpeakingAnotherProtocolNeverStarts() {
        try (WorkerPool pool = new WorkerPool(WorkerLimits.DEFAULTS.withWorkers(1, 0), WorkerSandbox.detect(), HostileWorker.class.getName(), "bad-hello")) {
            assertThatThrownBy(() -> pool.take()).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the worker did not start (HELLO of another protocol or version)");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
