package dev.capsule.runtime.internal;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One thread per runtime that watches every running event: wall clock (statement counts do not stop
 * a backtracking regular expression) and bytes allocated by the session thread, measured with
 * {@code ThreadMXBean.getThreadAllocatedBytes}. Enforcement (interrupt, cancel) runs on its own
 * virtual thread each time, because {@code Context.interrupt} blocks until the guest stops.
 */
public final class Watchdog implements AutoCloseable {
    /** How often events are checked: the granularity of the wall-clock and memory limits. */
    static final long TICK_MILLIS = 10;

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("capsule-watchdog").daemon(true).unstarted(r));
    /**
     * A virtual thread per enforcement: an interrupt or cancel that blocks (a guest stuck in a host call)
     * must never delay enforcement for another session. At most one or two per event, so it stays small.
     */
    private final ExecutorService enforcer = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("capsule-enforcer-", 0).factory());
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public Watchdog() {
        threads.setThreadAllocatedMemoryEnabled(true);
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(Session session) {
        sessions.add(session);
    }

    void forget(Session session) {
        sessions.remove(session);
    }

    long allocatedBytes(long threadId) {
        return threads.getThreadAllocatedBytes(threadId);
    }

    void enforce(Runnable action) {
        enforcer.execute(action);
    }

    private void tick() {
        long now = System.nanoTime();
        for (Session s : sessions) {
            try {
                s.check(now, this);
            } catch (RuntimeException e) {
                // A failing check must not stop the watchdog for every other session.
                s.internalError("watchdog check failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        enforcer.shutdownNow();
    }
}
