package dev.capsule.server.payments.internal.webhooks;

import java.time.Duration;

/** Every bound of the webhooks part, in one place (docs/payments.md, "Webhooks", lists them). */
public final class WebhookLimits {
    /** Characters in an endpoint URL. */
    public static final int URL_CHARS_MAX = 2048;
    /** Event types one endpoint subscribes to. */
    public static final int EVENTS_PER_ENDPOINT_MAX = 16;
    /** Enabled endpoints of one merchant (each message fans out to each of them). */
    public static final int ENDPOINTS_PER_MERCHANT_MAX = 16;
    /** Bytes of one message's JSON body (the spec recommends staying far below; an intent is ~1 KiB). */
    public static final int PAYLOAD_BYTES_MAX = 64 * 1024;
    /** One attempt, DNS, connect, TLS and response included (the spec recommends 15 to 30 s). */
    public static final int ATTEMPT_TIMEOUT_MILLIS = 15_000;
    /** Bytes of a receiver's response read; a longer one fails the attempt (the client never holds more). */
    public static final int RESPONSE_BODY_BYTES_MAX = 16 * 1024;
    /** Characters of a receiver's response body kept with an attempt (escaped), for the console; the rest is dropped. */
    public static final int RESPONSE_PREFIX_CHARS_MAX = 256;
    /** Deliveries one worker claims per run. */
    public static final int CLAIM_BATCH_MAX = 16;
    /**
     * How long a claimed delivery is leased to the node that claimed it: longer than an attempt, so a live node always
     * records its outcome first; a node that died mid-attempt leaves the row due again after it (at-least-once).
     */
    public static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    /** First retry delay; each further one is {@link #BACKOFF_FACTOR} times longer. */
    public static final Duration BACKOFF_FIRST = Duration.ofSeconds(5);
    public static final int BACKOFF_FACTOR = 4;
    /** Longest delay between two attempts (the spec's example schedule ends with 24 h). */
    public static final Duration BACKOFF_MAX = Duration.ofHours(24);
    /** Each delay is shortened by a random fraction up to this, so failing receivers are not hit in lockstep. */
    public static final double JITTER_FRACTION = 0.25;
    /** A message is retried until this long after it was queued, then the delivery fails for good. */
    public static final Duration DELIVERY_WINDOW = Duration.ofDays(3);
    /** An endpoint that has failed every attempt for this long is disabled ("persistent failure"). */
    public static final Duration DISABLE_AFTER_FAILING = Duration.ofDays(3);
    /** How long the previous secret stays valid after a rotation unless the request names a time. */
    public static final Duration ROTATION_OVERLAP_DEFAULT = Duration.ofHours(24);
    /** Longest overlap a rotation may ask for. */
    public static final Duration ROTATION_OVERLAP_MAX = Duration.ofDays(7);
    /** Deliveries listed per page (merchant list, console). */
    public static final int PAGE_SIZE_MAX = 100;

    private WebhookLimits() {
    }
}
