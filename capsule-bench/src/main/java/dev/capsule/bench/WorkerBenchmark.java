package dev.capsule.bench;

import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.WorkerLimits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Isolation tier 2 as a host sees it (docs/benchmarks.md, "Worker processes"):
 *
 * <ul>
 *   <li>{@link #pooledLaunch}: verify the signed todo example and launch it in a pre-started worker
 *       (take a ready worker, send it the package, the worker reads it again and starts the session)
 *       until the entry page's first {@code RuntimeEvent.Data} reaches the host. Each measurement is
 *       one launch (single shot): before it, untimed, the benchmark waits for the pool to have a ready
 *       worker and closes the previous session, so what is timed is a launch in a pooled worker,
 *       never a worker's start-up.
 *   <li>{@link #bridgeCalls}: as {@code RuntimeBenchmark.bridgeCalls}, but every
 *       {@code wx.getStorageSync} is a protocol round trip to the host (CALL frame, host-side policy
 *       and encrypted storage, REPLY frame). One round trip costs (batch(100) - batch(0)) / 100.
 * </ul>
 *
 * <p>Run from the repository root on Linux with bubblewrap installed:
 * {@code java --enable-native-access=ALL-UNNAMED -jar capsule-bench/target/benchmarks.jar WorkerBenchmark}.
 */
@Fork(1)
public class WorkerBenchmark {
    /** Launches measured; each needs a freshly started worker (about 5 s on 2 cores), so the class takes a few minutes. */
    static final int LAUNCHES = 30;

    @State(Scope.Thread)
    public static class LaunchState {
        RuntimeFixture fixture;
        RuntimeFixture.Signed todo;
        MiniProgramSession session;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new RuntimeFixture(Isolation.PROCESS, WorkerLimits.DEFAULTS.withWorkers(4, 2));
            todo = RuntimeFixture.todo();
        }

        /** Untimed: closes the last session and waits until a pre-started worker is ready. */
        @Setup(Level.Iteration)
        public void readyWorker() throws InterruptedException {
            if (session != null) {
                session.close();
                session = null;
            }
            long deadline = System.nanoTime() + RuntimeFixture.WAIT.toNanos();
            while (fixture.runtime.readyWorkers() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no worker became ready within " + RuntimeFixture.WAIT);
                }
                Thread.sleep(20);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            readyWorker();
            fixture.close();
        }
    }

    /** One long-lived session of the bench app in a worker process. */
    @State(Scope.Thread)
    public static class WorkerSessionState extends RuntimeBenchmark.SessionState {
        @Override
        RuntimeFixture newFixture() {
            return new RuntimeFixture(Isolation.PROCESS, WorkerLimits.DEFAULTS.withWorkers(2, 0));
        }
    }

    /** Verify + launch in a ready worker until the entry page's first data reaches the host. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = LAUNCHES)
    public String pooledLaunch(LaunchState s) throws Exception {
        var sink = new RuntimeFixture.FirstData(s.todo.entryPage());
        s.session = s.fixture.launch(s.todo, sink);
        return sink.await();
    }

    /** One handler event making {@code calls} wx.getStorageSync round trips to the host. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int bridgeCalls(WorkerSessionState s, RuntimeBenchmark.BridgeParams p) throws InterruptedException {
        return p.batch(s.session, s.sink);
    }
}
