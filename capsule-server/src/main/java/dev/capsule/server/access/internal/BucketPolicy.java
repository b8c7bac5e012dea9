package dev.capsule.server.access.internal;

/**
 * A token bucket's shape: it holds up to {@code burstRequests} tokens, gains
 * {@code refillPerMinute} per minute, and each request takes one.
 *
 * <p>A bucket must refill completely within {@link #FULL_REFILL_MINUTES_MAX}, so a bucket idle that
 * long is full and forgetting it (the clean-up does) changes nothing.
 */
record BucketPolicy(int burstRequests, int refillPerMinute) {
    static final int BURST_REQUESTS_MAX = 100_000;
    static final int REFILL_PER_MINUTE_MAX = 600_000;
    static final int FULL_REFILL_MINUTES_MAX = 24 * 60;

    BucketPolicy {
        if (burstRequests < 1 || burstRequests > BURST_REQUESTS_MAX) {
            throw new IllegalArgumentException("burst requests must be from 1 to " + BURST_REQUESTS_MAX + ", not " + burstRequests);
        }
        if (refillPerMinute < 1 || refillPerMinute > REFILL_PER_MINUTE_MAX) {
            throw new IllegalArgumentException("refill per minute must be from 1 to " + REFILL_PER_MINUTE_MAX + ", not " + refillPerMinute);
        }
        if ((long) refillPerMinute * FULL_REFILL_MINUTES_MAX < burstRequests) {
            throw new IllegalArgumentException("a bucket must refill within " + FULL_REFILL_MINUTES_MAX
                    + " minutes: refill per minute × " + FULL_REFILL_MINUTES_MAX + " must be at least burst requests");
        }
    }

    double refillPerSecond() {
        return refillPerMinute / 60.0;
    }
}
