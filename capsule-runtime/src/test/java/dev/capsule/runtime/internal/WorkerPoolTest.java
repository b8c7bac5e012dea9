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
    void closingThePoolKillsEveryWorker() throws Exception {
        WorkerPool pool = pool(WorkerLimits.DEFAULTS.withWorkers(4, 2));
        await("two ready workers", () -> pool.ready() == 2);
        WorkerProcess busy = pool.take();
        pool.close();
        await("all gone", () -> !busy.alive() && pool.alive() == 0);
    }
}
