package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.WorkerLimits;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The pool's own life: pre-start, idle retirement, replacement of dead ready workers. */
class WorkerPoolTest {
    /** A worker that only says HELLO and waits: the pool's behaviour does not depend on the engine. */
    private static WorkerPool pool(WorkerLimits limits) {
        return new WorkerPool(limits, WorkerSandbox.detect(), HostileWorker.class.getName(), "silent");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void workersSkipTheWarmUpsOnlyWhenTheLimitsSaySo() {
        try (WorkerPool warm = new WorkerPool(WorkerLimits.DEFAULTS.withWorkers(1, 0));
                WorkerPool cold = new WorkerPool(WorkerLimits.DEFAULTS.withWorkers(1, 0).withWarmUp(false))) {
            assertThat(warm.command()).endsWith(WorkerMain.class.getName());
            assertThat(cold.command()).endsWith(WorkerMain.class.getName(), WorkerMain.COLD);
        }
    }

    @Test
    void idleReadyWorkersAreRetiredAndTheNextLaunchStartsFreshOnes() throws Exception {
        try (WorkerPool pool = pool(WorkerLimits.DEFAULTS.withWorkers(4, 1).withReadyIdleMillisMax(1_500))) {
            await("a ready worker", () -> pool.ready() == 1);
            await("the idle worker retired", () -> pool.ready() == 0 && pool.alive() == 0);
            Thread.sleep(WorkerPool.MAINTENANCE_MILLIS * 2);
            assertThat(pool.alive()).as("no replacement until the next launch").isZero();
            WorkerProcess taken = pool.take();
            assertThat(taken.alive()).isTrue();
            await("a replacement after the launch", () -> pool.ready() == 1);
            assertThat(pool.alive()).isEqualTo(2);
        }
    }

    @Test
    void deadReadyWorkersAreReplaced() throws Exception {
        try (WorkerPool pool = pool(WorkerLimits.DEFAULTS.withWorkers(4, 2))) {
            await("two ready workers", () -> pool.ready() == 2);
            ProcessHandle victim = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
            victim.destroyForcibly();
            await("the victim gone", () -> !victim.isAlive());
            await("two ready workers again, one of them new", () -> pool.ready() == 2 && pool.alive() == 2
                    && ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                            .noneMatch(p -> p.pid() == victim.pid()));
        }
    }

    @Test
    void eachWorkerRunsInItsOwnControlGroupsWithTheirLimits() throws Exception {
        WorkerLimits limits = WorkerLimits.DEFAULTS.withWorkers(2, 0);
        try (WorkerPool pool = pool(limits)) {
            WorkerProcess worker = pool.take();
            ProcessHandle jvm = worker.process().descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .findFirst().orElseThrow();
            java.util.Map<String, java.nio.file.Path> groups = new java.util.HashMap<>();
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + jvm.pid() + "/cgroup"))) {
                String[] parts = line.split(":", 3);
                for (String c : parts[1].split(",")) {
                    groups.put(c, java.nio.file.Path.of("/sys/fs/cgroup", c, parts[2]));
                }
            }
            assertThat(groups.get("memory").toString()).contains("/capsule-workers-" + ProcessHandle.current().pid() + "/w");
            assertThat(read(groups.get("memory"), "memory.limit_in_bytes")).isEqualTo(Long.toString(limits.memoryMegabytesMax() * 1024L * 1024L));
            assertThat(read(groups.get("pids"), "pids.max")).isEqualTo(Integer.toString(limits.tasksMax()));
            assertThat(read(groups.get("cpu"), "cpu.cfs_quota_us")).isEqualTo("100000");
            worker.kill();
            await("the worker's groups removed", () -> !java.nio.file.Files.exists(groups.get("memory"))
                    && !java.nio.file.Files.exists(groups.get("pids")));
        }
    }

    private static String read(java.nio.file.Path dir, String file) throws java.io.IOException {
        return java.nio.file.Files.readString(dir.resolve(file)).strip();
    }

    @Test
    void closingThePoolKillsEveryWorker() throws Exception {
        WorkerPool pool = pool(WorkerLimits.DEFAULTS.withWorkers(4, 2));
        await("two ready workers", () -> pool.ready() == 2);
        WorkerProcess busy = pool.take();
        pool.close();
        await("all gone", () -> !busy.alive() && pool.alive() == 0);
    }
}
