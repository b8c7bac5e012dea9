package dev.capsule.server.access.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code capsule.rate-limit.*}), documented in docs/api-keys.md. Per client address:
 * every {@code /api/} request except health that is not authenticated by a valid API key. Per API
 * key: every request the key authenticates; these are the defaults for a key created without its
 * own limits.
 *
 * @param addressBurstRequests     requests a client address may make at once
 * @param addressRefillPerMinute   requests per minute it may sustain
 * @param keyBurstRequests         default burst of an API key
 * @param keyRefillPerMinute       default sustained requests per minute of an API key
 * @param callerBurstRequests      requests a caller another module authenticates (a merchant) may make at once
 * @param callerRefillPerMinute    requests per minute such a caller may sustain
 */
@ConfigurationProperties("capsule.rate-limit")
public record RateLimitSettings(
        @DefaultValue("" + ADDRESS_BURST_REQUESTS) int addressBurstRequests,
        @DefaultValue("" + ADDRESS_REFILL_PER_MINUTE) int addressRefillPerMinute,
        @DefaultValue("" + KEY_BURST_REQUESTS) int keyBurstRequests,
        @DefaultValue("" + KEY_REFILL_PER_MINUTE) int keyRefillPerMinute,
        @DefaultValue("" + CALLER_BURST_REQUESTS) int callerBurstRequests,
        @DefaultValue("" + CALLER_REFILL_PER_MINUTE) int callerRefillPerMinute) {
    public static final int ADDRESS_BURST_REQUESTS = 600;
    public static final int ADDRESS_REFILL_PER_MINUTE = 1_200;
    public static final int KEY_BURST_REQUESTS = 300;
    public static final int KEY_REFILL_PER_MINUTE = 3_000;
    /** A merchant's backend: bursts of a few hundred requests (a batch of refunds), 100 a second sustained. */
    public static final int CALLER_BURST_REQUESTS = 600;
    public static final int CALLER_REFILL_PER_MINUTE = 6_000;

    public RateLimitSettings {
        // Validates now, at start-up, with a message naming the settings.
        try {
            new BucketPolicy(addressBurstRequests, addressRefillPerMinute);
            new BucketPolicy(keyBurstRequests, keyRefillPerMinute);
            new BucketPolicy(callerBurstRequests, callerRefillPerMinute);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("capsule.rate-limit: " + e.getMessage(), e);
        }
    }

    BucketPolicy address() {
        return new BucketPolicy(addressBurstRequests, addressRefillPerMinute);
    }

    BucketPolicy caller() {
        return new BucketPolicy(callerBurstRequests, callerRefillPerMinute);
    }

    BucketPolicy keyDefault() {
        return new BucketPolicy(keyBurstRequests, keyRefillPerMinute);
    }
}
