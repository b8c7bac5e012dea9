package dev.capsule.runtime.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's event loop: a single platform thread that runs tasks and due timers one at a time
 * (GraalJS contexts are single-threaded, and its limits misbehave on virtual threads). Tasks come
 * from the session itself and from other threads (network completions, the host's dispatches).
 */
final class EventLoop {
    private record Timer(long dueNanos, long seq, int id, long periodNanos) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) ->
            a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
    private final Map<Integer, Timer> timersById = new HashMap<>();
    private final int tasksMax;
    private final java.util.function.IntConsumer timerRunner;
    private final Thread thread;
    private long seq;
    private boolean running;
    private boolean stopped;
    private int externalWork;

    EventLoop(String name, int tasksMax, java.util.function.IntConsumer timerRunner) {
        this.tasksMax = tasksMax;
        this.timerRunner = timerRunner;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Queues a task; false if the queue is full or the loop stopped (the caller reports it). */
    boolean submit(Runnable task) {
        lock.lock();
        try {
            if (stopped || tasks.size() >= tasksMax) {
                return false;
            }
            tasks.addLast(task);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Schedules timer {@code id}; period 0 means once. */
    void schedule(int id, long delayMillis, boolean repeat) {
        lock.lock();
        try {
            long delay = Math.max(0, delayMillis) * 1_000_000L;
            Timer t = new Timer(System.nanoTime() + delay, seq++, id, repeat ? Math.max(delay, 1_000_000L) : 0);
            timers.add(t);
            timersById.put(id, t);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void cancel(int id) {
        lock.lock();
        try {
            Timer t = timersById.remove(id);
            if (t != null) {
                timers.remove(t);
            }
        } finally {
            lock.unlock();
        }
    }

    int pendingTimers() {
        lock.lock();
        try {
            return timersById.size();
        } finally {
            lock.unlock();
        }
    }

    /** Work outside the loop that will come back as a task (an HTTP request): keeps the loop from looking idle. */
    void externalWorkStarted() {
        lock.lock();
        try {
            externalWork++;
        } finally {
            lock.unlock();
        }
    }

    void externalWorkFinished() {
        lock.lock();
        try {
            externalWork--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is queued, running, scheduled or outstanding, or the loop stops. */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        lock.lock();
        try {
            while (!stopped && (running || !tasks.isEmpty() || !timers.isEmpty() || externalWork > 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking work; the current task finishes; the thread ends. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            tasks.clear();
            timers.clear();
            timersById.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void join(long millis) throws InterruptedException {
        if (!onLoopThread()) {
            thread.join(millis);
        }
    }

    private void loop() {
        while (true) {
            Runnable task = null;
            int timerId = -1;
            lock.lock();
            try {
                while (true) {
                    if (stopped) {
                        changed.signalAll();
                        return;
                    }
                    if (!tasks.isEmpty()) {
                        task = tasks.pollFirst();
                        break;
                    }
                    Timer next = timers.peek();
                    long now = System.nanoTime();
                    if (next != null && next.dueNanos <= now) {
                        timers.poll();
                        if (next.periodNanos > 0) {
                            Timer again = new Timer(now + next.periodNanos, seq++, next.id, next.periodNanos);
                            timers.add(again);
                            timersById.put(next.id, again);
                        } else {
                            timersById.remove(next.id);
                        }
                        timerId = next.id;
                        break;
                    }
                    changed.signalAll();
                    try {
                        if (next == null) {
                            changed.await();
                        } else {
                            changed.awaitNanos(next.dueNanos - now);
                        }
                    } catch (InterruptedException e) {
                        stopped = true;
                    }
                }
                running = true;
            } finally {
                lock.unlock();
            }
            try {
                if (task != null) {
                    task.run();
                } else {
                    timerRunner.accept(timerId);
                }
            } finally {
                lock.lock();
                try {
                    running = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
