package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    /**
     * Pause between a launch and starting its replacement: a starting JVM takes both cores of a small
     * machine for seconds, and the launch that just took a worker should not compete with it.
     */
    static final long REFILL_DELAY_MILLIS = 300;

    private final WorkerLimits limits;
    private final WorkerSandbox sandbox;
    private final List<String> command;
    private final Optional<WorkerCgroups> cgroups;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<WorkerProcess> ready = new ArrayDeque<>();
    private final Set<WorkerProcess> all = new HashSet<>();
    private final Thread maintainer;
    /**
     * The one thread that starts workers. bubblewrap's --die-with-parent is tied to the thread that
     * started the process, not to the JVM: a worker started on a short-lived thread (a request
     * thread, a virtual thread's carrier) would be killed when that thread ends. This thread lives as
     * long as the pool.
     */
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon(true).name("capsule-worker-spawner").unstarted(r));
    private int alive;
    private int wanted;
    private long lastTakeNanos;
    private boolean closed;

    public WorkerPool(WorkerLimits limits) {
        this(limits, WorkerSandbox.detect(), WorkerMain.class.getName(), limits.warmUp() ? new String[0] : new String[] {WorkerMain.COLD});
    }

    WorkerPool(WorkerLimits limits, WorkerSandbox sandbox, String mainClass, String... args) {
        this.limits = limits;
        this.sandbox = sandbox;
        this.command = sandbox.command(limits, mainClass, args);
        this.cgroups = sandbox.kind() == WorkerSandbox.Kind.BUBBLEWRAP ? WorkerCgroups.detect() : Optional.empty();
        if (sandbox.kind() == WorkerSandbox.Kind.BUBBLEWRAP && cgroups.isEmpty()) {
            System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "no writable cgroup v1 hierarchy (memory, pids, cpu):"
                    + " workers run without limits on their total memory, tasks and CPU share; each process is still bounded by rlimits");
        }
        if (sandbox.kind() == WorkerSandbox.Kind.PLAIN) {
            System.getLogger("dev.capsule.runtime").log(System.Logger.Level.WARNING, "this operating system offers Capsule no process"
                    + " sandbox: workers run as plain processes with only their heap capped (" + limits.heapMegabytesMax() + " MB);"
                    + " they can reach the network and the user's files. Use Linux with bubblewrap for tier-2 isolation.");
        }
        this.wanted = limits.readyWorkers();
        this.lastTakeNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(REFILL_DELAY_MILLIS); // start at once
        this.maintainer = Thread.ofPlatform().daemon(true).name("capsule-worker-pool").start(this::maintain);
    }

    /** The command that starts each worker (for tests). */
    List<String> command() {
        return command;
    }

    /** True when workers run under an OS sandbox (bubblewrap), false when they are plain processes. */
    public boolean sandboxed() {
        return sandbox.kind() == WorkerSandbox.Kind.BUBBLEWRAP;
    }

    /**
     * Starts a session in a worker: takes a worker, sends it the launch, and returns the host's handle.
     */
    public MiniProgramSession launch(CapsulePackage pkg, boolean verified, String userId,
            dev.capsule.runtime.LaunchOptions launch, RuntimeLimits runtimeLimits, java.util.Set<dev.capsule.runtime.ApiGroup> groups, HostServices services,
            StorageArea storage, GuardedHttpClient http,
            EventSink sink) throws IOException {
        WorkerProcess worker = take();
        try {
            RemoteSession session = new RemoteSession(worker, pkg, verified, userId, runtimeLimits, groups, services, storage, http, sink);
            session.start(launch, runtimeLimits);
            return session;
        } catch (RuntimeException e) {
            worker.kill(); // never leak a counted worker
            throw e;
        }
    }

    /** A started worker for one session: a ready one if there is one, else a new one (waiting for it to start). */
    WorkerProcess take() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the runtime is closed");
            }
            wanted = limits.readyWorkers();
            lastTakeNanos = System.nanoTime();
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
            w = spawn();
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
            if (closed) {
                w.kill();
                throw new IllegalStateException("the runtime is closed");
            }
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

    private WorkerProcess spawn() throws IOException {
        var started = spawner.submit(() -> {
            if (cgroups.isEmpty()) {
                return WorkerProcess.start(command, limits.startMillisMax());
            }
            WorkerCgroups.Groups groups = cgroups.get().create(limits);
            try {
                WorkerProcess w = WorkerProcess.start(WorkerCgroups.wrap(command, groups), limits.startMillisMax());
                w.process().onExit().thenRun(groups::remove);
                return w;
            } catch (IOException | RuntimeException e) {
                groups.remove();
                throw e;
            }
        });
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a worker");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start a worker: " + e.getCause().getMessage());
        }
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
                all.stream().filter(WorkerProcess::writeStalled).forEach(WorkerProcess::killStalled);
                long sinceTake = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastTakeNanos);
                start = ready.size() < wanted && alive < limits.workersMax() && sinceTake >= REFILL_DELAY_MILLIS;
                if (start) {
                    alive++;
                } else {
                    changed.await(sinceTake < REFILL_DELAY_MILLIS ? REFILL_DELAY_MILLIS - sinceTake : MAINTENANCE_MILLIS,
                            TimeUnit.MILLISECONDS);
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
        spawner.shutdown();
    }
}
