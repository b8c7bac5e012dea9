package dev.capsule.runtime.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** Per-session request limits: in flight, and per sliding 60-second window. Thread-safe: requests finish on client threads. */
final class NetworkQuota {
    static final long WINDOW_MILLIS = 60_000;
    private final int inFlightMax;
    private final int perMinuteMax;
    private final Deque<Long> started = new ArrayDeque<>();
    private int inFlight;

    NetworkQuota(int inFlightMax, int perMinuteMax) {
        this.inFlightMax = inFlightMax;
        this.perMinuteMax = perMinuteMax;
    }

    /** Null if a request may start (and counts it), else the reason it may not. */
    synchronized String tryStart(long nowMillis) {
        while (!started.isEmpty() && nowMillis - started.peekFirst() >= WINDOW_MILLIS) {
            started.pollFirst();
        }
        if (inFlight >= inFlightMax) {
            return "too many requests in flight (at most " + inFlightMax + ")";
        }
        if (started.size() >= perMinuteMax) {
            return "too many requests (at most " + perMinuteMax + " per minute)";
        }
        inFlight++;
        started.addLast(nowMillis);
        return null;
    }

    synchronized void finished() {
        inFlight--;
    }
}
