package dev.capsule.runtime.internal;

import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;

/**
 * The host's own clock of the event a worker is running, from the worker's EVENT_BEGAN and
 * EVENT_ENDED frames: the backstop for an event that outlives every limit the worker enforces (one
 * engine operation that neither an interrupt nor a cancel stops). Host work for the event's policy
 * calls counts against it; time the host spends waiting for the user does not, as in the worker.
 *
 * <p>Security guarantees: an event reported as begun and not ended within {@code eventWallMillisMax}
 * plus {@link #HOST_OVERRUN_MARGIN_MILLIS} (not counting prompts) gets the worker killed and the
 * session ended with a {@code cpu} violation and exit code 1. A worker that never reports an event
 * escapes this clock, not the OS limits on its process (CPU time, memory, its one session).
 */
final class WorkerEventClock {
    /**
     * How long past its wall-clock limit an event may run before the host kills the worker: beyond the
     * worker's own backstop ({@link Session#EVENT_OVERRUN_MARGIN_MILLIS}), so an honest worker reports
     * first, with its event's name.
     */
    static final long HOST_OVERRUN_MARGIN_MILLIS = 2 * Session.EVENT_OVERRUN_MARGIN_MILLIS;
    /** How often the clock is read: the granularity of the backstop. */
    static final long TICK_MILLIS = 50;

    private final long wallMillisMax;
    private final WorkerEnding ending;
    private final Thread ticker;
    private boolean running;
    private long beganNanos;
    private long userNanos;
    private int userWaits;
    private long userWaitSinceNanos;

    WorkerEventClock(String appId, long wallMillisMax, WorkerEnding ending) {
        this.wallMillisMax = wallMillisMax;
        this.ending = ending;
        this.ticker = Thread.ofVirtual().name("capsule-event-clock-" + appId).unstarted(this::tick);
        ending.onEnd(ticker::interrupt);
    }

    void start() {
        ticker.start();
    }

    synchronized void began() throws ProtocolViolation {
        if (running) {
            throw new ProtocolViolation("an event began before the last one ended");
        }
        running = true;
        beganNanos = System.nanoTime();
        userNanos = 0;
    }

    synchronized void ended() throws ProtocolViolation {
        if (!running) {
            throw new ProtocolViolation("an event ended that had not begun");
        }
        running = false;
    }

    synchronized void userWaitStarted() {
        if (userWaits++ == 0) {
            userWaitSinceNanos = System.nanoTime();
        }
    }

    synchronized void userWaitEnded() {
        if (--userWaits == 0) {
            userNanos += System.nanoTime() - userWaitSinceNanos;
        }
    }

    /** Milliseconds the current event has run past its limit and margin, not counting the user's time; negative if within. */
    synchronized long overrunMillis(long nowNanos) {
        if (!running || userWaits > 0) {
            return -1;
        }
        long ranMillis = (nowNanos - beganNanos - userNanos) / 1_000_000;
        return ranMillis - wallMillisMax - HOST_OVERRUN_MARGIN_MILLIS;
    }

    private void tick() {
        try {
            while (!ending.ended()) {
                Thread.sleep(TICK_MILLIS);
                if (overrunMillis(System.nanoTime()) > 0) {
                    ending.kill(ViolationKind.CPU, "an event ran longer than " + wallMillisMax + " ms and the worker did not stop it;"
                            + " the worker process was killed");
                    return;
                }
            }
        } catch (InterruptedException e) {
            // The session ended.
        }
    }
}
