package dev.capsule.server.host.internal;

/**
 * A token bucket for one session's browser frames: {@code burst} at once, refilled at {@code perSecond}
 * ({@code capsule.host.events-burst-max}, {@code capsule.host.events-per-second-max}).
 */
final class EventBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perNano;
    private final int burst;
    private double tokens;
    private long last;

    EventBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("an event bucket needs a positive rate and burst");
        }
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one token: false when the bucket is empty (the frame is refused). */
    synchronized boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
