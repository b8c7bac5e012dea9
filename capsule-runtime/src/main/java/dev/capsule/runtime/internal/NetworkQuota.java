package dev.capsule.runtime.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Per-session limits of one kind of network use (requests, downloads, uploads, socket messages): in
 * flight, and per sliding 60-second window. Thread-safe: work finishes on client threads.
 */
final class NetworkQuota {
    static final long WINDOW_MILLIS = 60_000;
    private final int inFlightMax;
    private final int perMinuteMax;
    private final Deque<Long> started = new ArrayDeque<>();
    private final String noun;
    private int inFlight;

    NetworkQuota(int inFlightMax, int perMinuteMax) {
        this(inFlightMax, perMinuteMax, "requests");
    }

    /** @param noun what is counted, plural, as the refusal names it ("downloads") */
    NetworkQuota(int inFlightMax, int perMinuteMax, String noun) {
        this.inFlightMax = inFlightMax;
        this.perMinuteMax = perMinuteMax;
        this.noun = noun;
    }

    /** Null if a request may start (and counts it), else the reason it may not. */
    synchronized String tryStart(long nowMillis) {
        while (!started.isEmpty() && nowMillis - started.peekFirst() >= WINDOW_MILLIS) {
            started.pollFirst();
        }
        if (inFlight >= inFlightMax) {
            return "too many " + noun + " in flight (at most " + inFlightMax + ")";
        }
        if (started.size() >= perMinuteMax) {
            return "too many " + noun + " (at most " + perMinuteMax + " per minute)";
        }
        inFlight++;
        started.addLast(nowMillis);
        return null;
    }

    synchronized void finished() {
        inFlight--;
    }
}
