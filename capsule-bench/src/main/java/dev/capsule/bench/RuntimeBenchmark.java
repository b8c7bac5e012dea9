package dev.capsule.bench;

import dev.capsule.runtime.MiniProgramSession;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The runtime's costs as a host sees them (docs/benchmarks.md, "Runtime: launch, bridge calls, events"):
 *
 * <ul>
 *   <li>{@link #coldLaunch}: verify the signed todo example, launch it (new sandboxed context on the
 *       runtime's shared engine, framework, app.js, App.onLaunch/onShow, entry page created), until the
 *       entry page's first {@code RuntimeEvent.Data}. {@link #coldLaunchReady} goes on until the session
 *       is idle (the page's onLoad, onShow and onReady have run too). The session is closed after the
 *       timed part.
 *   <li>{@link #bridgeCalls}: one dispatched handler that calls {@code wx.getStorageSync('k')}
 *       {@code calls} times (the value was stored once, by onLoad); the batch time with {@code calls=0}
 *       is the dispatch cost, so one call costs (batch(calls) - batch(0)) / calls. 100 calls, not
 *       1,000: the first batches of 1,000 in a new JVM take 0.5-0.6 s, a large share of the 2-second
 *       per-event wall-clock limit, while 100 calls already cost about 27 times the dispatch.
 *   <li>{@link #events}: {@value #EVENTS} dispatched handlers that each call {@code this.setData({n: n + 1})};
 *       the score is events per second.
 * </ul>
 *
 * <p>All run on one fork with 8 × 2 s of warm-up (15 × 2 s for the launches): GraalJS runs on
 * HotSpot's JIT-compiled Truffle interpreter (no Graal compiler on stock OpenJDK), which needs
 * about 8 s to settle for bridge calls and events and 16-20 s for launches on 2 cores. The whole
 * class takes about 3 minutes.
 *
 * <p>Run from the repository root (the cold launch packs {@code examples/todo}):
 * {@code java --enable-native-access=ALL-UNNAMED -jar capsule-bench/target/benchmarks.jar RuntimeBenchmark}.
 */
@Fork(1)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
public class RuntimeBenchmark {
    /** Handlers dispatched per {@link #events} operation: below the 1,000-task queue limit. */
    static final int EVENTS = 500;
    /** Launches settle more slowly than the other benchmarks: each one runs code paths of a new context. */
    static final int LAUNCH_WARMUP_ITERATIONS = 15;

    /** One runtime and the signed todo example; each invocation's session is closed outside the timing. */
    @State(Scope.Thread)
    public static class LaunchState {
        RuntimeFixture fixture;
        RuntimeFixture.Signed todo;
        MiniProgramSession session;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new RuntimeFixture();
            todo = RuntimeFixture.todo();
            System.out.printf("%n[capsule-bench] todo package %,d bytes, entry page %s%n", todo.bytes().length, todo.entryPage());
        }

        /**
         * Untimed: lets the launch finish (coldLaunch stops timing at the first data, while the page's
         * onLoad/onShow/onReady are still to run) and closes the session, so no work of one launch
         * overlaps the next; the context itself is released on the runtime's enforcer thread.
         */
        @TearDown(Level.Invocation)
        public void closeSession() throws InterruptedException {
            if (session != null) {
                session.awaitIdle(RuntimeFixture.WAIT);
                session.close();
                session = null;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            closeSession();
            fixture.close();
        }
    }

    /** One runtime and one long-lived session of the bench app, launched and idle. */
    @State(Scope.Thread)
    public static class SessionState {
        RuntimeFixture fixture;
        RuntimeFixture.Counting sink;
        MiniProgramSession session;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = newFixture();
            sink = new RuntimeFixture.Counting();
            session = fixture.launchBenchApp(RuntimeFixture.benchApp(), sink);
        }

        /** The runtime the session runs in: in-process here, worker processes in {@code WorkerBenchmark}. */
        RuntimeFixture newFixture() {
            return new RuntimeFixture();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            fixture.close();
        }
    }

    /** The bridge batch size: 0 measures dispatching the handler alone. */
    @State(Scope.Thread)
    public static class BridgeParams {
        @Param({"0", "100"})
        public int calls;
        String eventJson;

        @Setup(Level.Trial)
        public void setUp() {
            eventJson = "{\"detail\":{\"calls\":" + calls + "}}";
        }

        /** Dispatches the {@code read} handler once and checks that it made exactly {@code calls} bridge calls. */
        int batch(MiniProgramSession session, RuntimeFixture.Counting sink) throws InterruptedException {
            int before = sink.apiCalls.get();
            session.dispatch("read", null, eventJson);
            RuntimeFixture.awaitIdle(session, sink);
            int made = sink.apiCalls.get() - before;
            if (made != calls) {
                throw new IllegalStateException("expected " + calls + " bridge calls, saw " + made);
            }
            return made;
        }
    }

    /** Verify + launch until the entry page's first data. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = LAUNCH_WARMUP_ITERATIONS, time = 2)
    public String coldLaunch(LaunchState s) throws Exception {
        var sink = new RuntimeFixture.FirstData(s.todo.entryPage());
        s.session = s.fixture.launch(s.todo, sink);
        return sink.await();
    }

    /** Verify + launch until the session is idle: the entry page has been loaded, shown and is ready. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = LAUNCH_WARMUP_ITERATIONS, time = 2)
    public String coldLaunchReady(LaunchState s) throws Exception {
        var sink = new RuntimeFixture.FirstData(s.todo.entryPage());
        s.session = s.fixture.launch(s.todo, sink);
        if (!s.session.awaitIdle(RuntimeFixture.WAIT) || s.session.ended()) {
            throw new IllegalStateException("the todo session did not go idle, or ended");
        }
        return sink.await(); // already complete; fails the benchmark if the launch reported an error
    }

    /** One handler event making {@code calls} wx.getStorageSync calls; the score is the whole batch. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int bridgeCalls(SessionState s, BridgeParams p) throws InterruptedException {
        return p.batch(s.session, s.sink);
    }

    /** {@value #EVENTS} setData handlers, dispatched back to back, until all have run; score in events/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS)
    public int events(SessionState s) throws InterruptedException {
        int before = s.sink.dataEvents.get();
        for (int i = 0; i < EVENTS; i++) {
            s.session.dispatch("inc", null, null);
        }
        RuntimeFixture.awaitIdle(s.session, s.sink);
        int seen = s.sink.dataEvents.get() - before;
        if (seen != EVENTS) {
            throw new IllegalStateException("expected " + EVENTS + " data events, saw " + seen);
        }
        return seen;
    }
}
