package dev.capsule.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A cross-check of {@link ReleaseVerifyBenchmark} on a busy shared machine: the same three operations, timed in
 * CPU time of the calling thread (ThreadMXBean), which waiting for a CPU does not inflate the way it inflates wall
 * time. 300 warm-up calls each, then 400 calls each, interleaved; the median (docs/benchmarks.md).
 *
 * <p>Run: {@code java -cp capsule-bench/target/benchmarks.jar dev.capsule.bench.ReleaseVerifyCpuTime}.
 */
public final class ReleaseVerifyCpuTime {
    private static final int WARM_UP_CALLS = 300;
    private static final int MEASURED_CALLS = 400;

    private ReleaseVerifyCpuTime() {}

    public static void main(String[] args) throws Exception {
        ReleaseVerifyBenchmark bench = new ReleaseVerifyBenchmark();
        bench.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names = {"anchor", "release", "parseAndRelease"};
        Callable<?>[] operations = {bench::anchor, bench::release, bench::parseAndRelease};
        try {
            for (Callable<?> operation : operations) {
                for (int i = 0; i < WARM_UP_CALLS; i++) {
                    operation.call();
                }
            }
            // Interleaved, so a burst from a neighbour or a late JIT compilation hits every operation alike.
            long[][] nanos = new long[operations.length][MEASURED_CALLS];
            for (int i = 0; i < MEASURED_CALLS; i++) {
                for (int k = 0; k < operations.length; k++) {
                    long start = threads.getCurrentThreadCpuTime();
                    operations[k].call();
                    nanos[k][i] = threads.getCurrentThreadCpuTime() - start;
                }
            }
            for (int k = 0; k < operations.length; k++) {
                Arrays.sort(nanos[k]);
                System.out.printf("%-16s thread CPU time: median %.3f ms (p10 %.3f, p90 %.3f)%n", names[k], nanos[k][MEASURED_CALLS / 2] / 1e6,
                        nanos[k][MEASURED_CALLS / 10] / 1e6, nanos[k][MEASURED_CALLS * 9 / 10] / 1e6);
            }
        } finally {
            bench.tearDown();
        }
    }
}
