package dev.capsule.runtime.internal;

import dev.capsule.runtime.WorkerLimits;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pre-started worker processes. A launch takes a ready worker (or starts one when none is ready);
 * the pool then starts a replacement in the background. Workers serve one session each and are
 * never reused. Ready workers left unused for {@link WorkerLimits#readyIdleMillisMax()} are retired;
 * dead ones (killed, crashed) are dropped and replaced. At most {@link WorkerLimits#workersMax()}
 * workers are alive at once: a launch beyond that fails at once with a clear error.
 */
public final class WorkerPool implements AutoCloseable {
    /** How often the pool checks for idle and dead ready workers. */
    static final long MAINTENANCE_MILLIS = 1_000;

    private final WorkerLimits limits;
    private final WorkerSandbox sandbox;
    private final List<String> command;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<WorkerProcess> ready = new ArrayDeque<>();
    private final java.util.Set<WorkerProcess> all = new java.util.HashSet<>();
    private final Thread maintainer;
    private int alive;
    private int wanted;
    private boolean closed;

    public WorkerPool(WorkerLimits limits) {
        this(limits, WorkerSandbox.detect(), WorkerMain.class.getName());
    }

    WorkerPool(WorkerLimits limits, WorkerSandbox sandbox, String mainClass) {
        this.limits = limits;
        this.sandbox = sandbox;
        this.command = sandbox.command(limits, mainClass);
        if (sandbox.kind() == WorkerSandbox.Kind.PLAIN) {
            System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "this operating system offers Capsule no process"
                    + " sandbox: workers run as plain processes with only their heap capped (" + limits.heapMegabytesMax() + " MB);"
                    + " they can reach the network and the user's files. Use Linux with bubblewrap for tier-2 isolation.");
        }
        this.wanted = limits.readyWorkers();
        this.maintainer = Thread.ofPlatform().daemon(true).name("capsule-worker-pool").start(this::maintain);
    }

    /** True when workers run under an OS sandbox (bubblewrap), false when they are plain processes. */
    public boolean sandboxed() {
        return sandbox.kind() == WorkerSandbox.Kind.BUBBLEWRAP;
    }

    /**
     * Starts a session in a worker: takes a worker, sends it the launch, and returns the host's handle.
     */
    public dev.capsule.runtime.MiniProgramSession launch(dev.capsule.core.pkg.CapsulePackage pkg, boolean verified, String userId,
            String launchQueryJson, dev.capsule.runtime.RuntimeLimits runtimeLimits, dev.capsule.runtime.HostServices services,
            dev.capsule.runtime.storage.StorageArea storage, dev.capsule.runtime.net.GuardedHttpClient http,
            dev.capsule.runtime.EventSink sink) throws IOException {
        RemoteSession session = new RemoteSession(take(), pkg, verified, userId, runtimeLimits, services, storage, http, sink);
        session.start(launchQueryJson, runtimeLimits);
        return session;
    }

    /** A started worker for one session: a ready one if there is one, else a new one (waiting for it to start). */
    WorkerProcess take() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the runtime is closed");
            }
            wanted = limits.readyWorkers();
            changed.signalAll();
            while (!ready.isEmpty()) {
                WorkerProcess w = ready.pollFirst();
                if (w.alive()) {
                    return w;
                }
            }
            if (alive >= limits.workersMax()) {
                throw new IllegalStateException("all " + limits.workersMax() + " worker processes are in use; try again when a session ends");
            }
            alive++;
        } finally {
            lock.unlock();
        }
        return startTracked();
    }

    /** Starts a worker already counted in {@link #alive}; uncounts it if it fails. */
    private WorkerProcess startTracked() throws IOException {
        WorkerProcess w;
        try {
            w = WorkerProcess.start(command, limits.startMillisMax());
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                alive--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            all.add(w);
        } finally {
            lock.unlock();
        }
        w.process().onExit().thenRun(() -> {
            lock.lock();
            try {
                alive--;
                all.remove(w);
                ready.remove(w);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
        return w;
    }

    /** Live workers, ready and busy (for tests and metrics). */
    public int alive() {
        lock.lock();
        try {
            return alive;
        } finally {
            lock.unlock();
        }
    }

    /** Workers waiting for a launch. */
    public int ready() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    private void maintain() {
        while (true) {
            boolean start;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                retireIdle();
                start = ready.size() < wanted && alive < limits.workersMax();
                if (start) {
                    alive++;
                } else {
                    changed.await(MAINTENANCE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (start) {
                refillOne();
            }
        }
    }

    private void refillOne() {
        WorkerProcess w;
        try {
            w = startTracked();
        } catch (IOException | RuntimeException e) {
            System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "could not start a worker process: " + e.getMessage());
            sleepQuietly(MAINTENANCE_MILLIS); // no hot loop when workers cannot start
            return;
        }
        lock.lock();
        try {
            if (closed) {
                w.kill();
            } else {
                ready.addLast(w);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: retires ready workers idle too long; the pool waits for the next launch before starting more. */
    private void retireIdle() {
        long now = System.nanoTime();
        var it = ready.iterator();
        while (it.hasNext()) {
            WorkerProcess w = it.next();
            if (!w.alive()) {
                it.remove();
            } else if (TimeUnit.NANOSECONDS.toMillis(now - w.readySinceNanos()) > limits.readyIdleMillisMax()) {
                it.remove();
                w.kill();
                wanted = 0;
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            all.forEach(WorkerProcess::kill); // busy ones too: their sessions end with a worker violation
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        maintainer.interrupt();
    }
}
