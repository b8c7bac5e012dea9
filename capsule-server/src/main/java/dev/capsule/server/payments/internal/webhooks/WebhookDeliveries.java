package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.core.manifest.HostName;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.net.FailureKind;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.net.HttpOutcome;
import dev.capsule.runtime.net.HttpRequestSpec;
import dev.capsule.runtime.net.NetLimits;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.WebhookEndpointId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due webhook messages: claims a bounded batch of due deliveries ({@code FOR UPDATE SKIP LOCKED}, so workers
 * on every node share the work and never claim the same row), leases them for {@link WebhookLimits#CLAIM_LEASE},
 * sends each once through the runtime's {@link GuardedHttpClient} outside any transaction, and records the outcome.
 *
 * <p>Outcomes (the Standard Webhooks guidance): a 2xx succeeds; a 410 Gone disables the endpoint at once; anything
 * else (another status, a redirect, a timeout, a refused address, a response over
 * {@link WebhookLimits#RESPONSE_BODY_BYTES_MAX}) is retried with exponential backoff and jitter
 * ({@link #backoff}), a {@code Retry-After} respected up to {@link WebhookLimits#BACKOFF_MAX}, until
 * {@link WebhookLimits#DELIVERY_WINDOW} after the message was queued; an endpoint that has failed every attempt for
 * {@link WebhookLimits#DISABLE_AFTER_FAILING} is disabled.
 *
 * <p>Security guarantees: every request goes through the client's SSRF guard with the endpoint's own host as the only
 * allowlist entry (https only, DNS resolved and every address checked before connecting, no redirects followed); a
 * production worker's client comes from {@link #productionClient()} (public addresses only). At most
 * {@link WebhookLimits#RESPONSE_PREFIX_CHARS_MAX} escaped characters of a response are stored. A node that dies
 * mid-attempt leaves the delivery due again when the lease ends (at-least-once; receivers deduplicate on
 * {@code webhook-id}); a late outcome of a lease that another node took over is dropped, never recorded twice.
 */
public final class WebhookDeliveries {
    /** The client limits of webhook delivery (no redirects: the spec treats 3xx as failure). */
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    public static final NetLimits NET_LIMITS = new NetLimits(WebhookLimits.PAYLOAD_BYTES_MAX, WebhookLimits.RESPONSE_BODY_BYTES_MAX,
            WebhookLimits.ATTEMPT_TIMEOUT_MILLIS, 0, 8);
    /** Characters of a failure's description kept with an attempt (the column's bound). */
    static final int FAILURE_CHARS_MAX = 300;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WebhookEndpoints endpoints;
    private final GuardedHttpClient client;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param client the production client ({@link #productionClient()}), or in tests one that admits a loopback receiver
     * @param random the jitter's source
     */
    public WebhookDeliveries(JdbcClient jdbc, TransactionTemplate transactions, WebhookEndpoints endpoints, GuardedHttpClient client,
            Clock clock, RandomGenerator random) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.endpoints = endpoints;
        this.client = client;
        this.clock = clock;
        this.random = random;
    }

    /** The runtime's production client (system DNS, JDK trust store, public addresses only) with {@link #NET_LIMITS}. */
    public static GuardedHttpClient productionClient() {
        return GuardedHttpClient.create(NET_LIMITS);
    }

    private record Claimed(String messageId, WebhookEndpointId endpoint, int attempt, Instant queued) {
    }

    private record Prepared(Claimed claimed, MerchantId merchant, CompletableFuture<HttpOutcome> outcome) {
    }

    /** Claims and attempts at most {@link WebhookLimits#CLAIM_BATCH_MAX} due deliveries; returns how many it attempted. */
    public int deliverDue() {
        Instant now = clock.instant();
        List<Claimed> claimed = transactions.execute(status -> jdbc.sql("""
                        UPDATE payments_webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = :lease
                        FROM (SELECT message_id, endpoint_id FROM payments_webhook_delivery
                              WHERE status = 'pending' AND next_attempt_at <= :now
                              ORDER BY next_attempt_at LIMIT :n FOR UPDATE SKIP LOCKED) due
                        WHERE d.message_id = due.message_id AND d.endpoint_id = due.endpoint_id
                        RETURNING d.message_id, d.endpoint_id, d.attempts, d.created_at""")
                .param("lease", WebhookEndpoints.utc(now.plus(WebhookLimits.CLAIM_LEASE))).param("now", WebhookEndpoints.utc(now))
                .param("n", WebhookLimits.CLAIM_BATCH_MAX)
                .query((row, n) -> new Claimed(row.getString(1), new WebhookEndpointId(row.getString(2)), row.getInt(3),
                        row.getObject(4, OffsetDateTime.class).toInstant()))
                .list());
        List<Prepared> sent = new ArrayList<>();
        for (Claimed delivery : claimed) {
            try {
                sent.add(send(delivery, now));
            } catch (RuntimeException e) {
                // A row that cannot be prepared (a key that does not open, a damaged URL) is a failed attempt like any
                // other, so it backs off instead of being claimed first in every batch and starving the rest.
                sent.add(new Prepared(delivery, merchantOf(delivery.endpoint()), CompletableFuture.completedFuture(
                        new HttpOutcome.Failure(FailureKind.BAD_REQUEST, "the delivery could not be prepared"))));
            }
        }
        for (Prepared delivery : sent) {
            HttpOutcome outcome = delivery.outcome().join();
            try {
                transactions.executeWithoutResult(status -> record(delivery.claimed(), delivery.merchant(), outcome));
            } catch (RuntimeException e) {
                // The others of the batch are still recorded; this one is due again when its lease ends.
                log.warn("could not record a webhook attempt (retried after the lease): {}", e.getClass().getSimpleName());
            }
        }
        return claimed.size();
    }

    private Prepared send(Claimed delivery, Instant now) {
        record Target(String url, MerchantId merchant, byte[] body) {
        }
        Target target = jdbc.sql("SELECT e.url, e.merchant_id, m.body FROM payments_webhook_endpoint e, payments_webhook_message m "
                        + "WHERE e.endpoint_id = :ep AND m.message_id = :msg")
                .param("ep", delivery.endpoint().value()).param("msg", delivery.messageId())
                .query((row, n) -> new Target(row.getString(1), new MerchantId(row.getString(2)), row.getBytes(3))).single();
        List<WebhookSigningKey> keys = endpoints.validKeys(delivery.endpoint(), now);
        if (keys.isEmpty()) {
            // Fail closed: never send unsigned. The current key never expires, so this is a damaged database.
            return new Prepared(delivery, target.merchant(), CompletableFuture.completedFuture(
                    new HttpOutcome.Failure(FailureKind.BAD_REQUEST, "the endpoint has no valid signing key")));
        }
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put(WebhookSignatures.ID_HEADER, delivery.messageId());
        headers.put(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(timestamp));
        try {
            headers.put(WebhookSignatures.SIGNATURE_HEADER, WebhookSignatures.header(keys, delivery.messageId(), timestamp, target.body()));
        } finally {
            keys.forEach(WebhookSigningKey::destroy);
        }
        HostName host = WebhookEndpoints.allowlistEntry(URI.create(target.url()));
        HttpRequestSpec request = new HttpRequestSpec(target.url(), "POST", headers, target.body(),
                Duration.ofMillis(WebhookLimits.ATTEMPT_TIMEOUT_MILLIS));
        return new Prepared(delivery, target.merchant(), client.send(request, List.of(host), "webhook endpoint"));
    }

    private MerchantId merchantOf(WebhookEndpointId endpoint) {
        return jdbc.sql("SELECT merchant_id FROM payments_webhook_endpoint WHERE endpoint_id = :ep").param("ep", endpoint.value())
                .query((row, n) -> new MerchantId(row.getString(1))).single();
    }

    private void record(Claimed delivery, MerchantId merchant, HttpOutcome outcome) {
        Instant now = clock.instant();
        // Lock order everywhere: the endpoint, then its deliveries (as WebhookEndpoints.disable does), so two workers
        // recording outcomes for one endpoint never deadlock.
        jdbc.sql("SELECT endpoint_id FROM payments_webhook_endpoint WHERE endpoint_id = :ep FOR UPDATE")
                .param("ep", delivery.endpoint().value()).query(String.class).single();
        // Still ours? A lease that ran out may have been claimed again, or the endpoint disabled meanwhile.
        Optional<Integer> current = jdbc.sql("SELECT attempts FROM payments_webhook_delivery WHERE message_id = :msg AND endpoint_id = :ep "
                        + "AND status = 'pending' FOR UPDATE")
                .param("msg", delivery.messageId()).param("ep", delivery.endpoint().value()).query(Integer.class).optional();
        if (current.isEmpty() || current.get() != delivery.attempt()) {
            return;
        }
        Integer status = outcome instanceof HttpOutcome.Response response ? response.status() : null;
        String failure = outcome instanceof HttpOutcome.Failure f ? cut(SafeText.escape(f.kind() + ": " + f.message(), FAILURE_CHARS_MAX), FAILURE_CHARS_MAX) : null;
        String prefix = outcome instanceof HttpOutcome.Response response ? prefix(response.body()) : null;
        jdbc.sql("INSERT INTO payments_webhook_attempt (message_id, endpoint_id, attempt, attempted_at, http_status, failure, response_prefix) "
                        + "VALUES (:msg, :ep, :n, :at, :status, :failure, :prefix)")
                .param("msg", delivery.messageId()).param("ep", delivery.endpoint().value()).param("n", delivery.attempt())
                .param("at", WebhookEndpoints.utc(now)).param("status", status).param("failure", failure).param("prefix", prefix).update();
        if (status != null && status >= 200 && status <= 299) {
            finish(delivery, "succeeded", now);
            jdbc.sql("UPDATE payments_webhook_endpoint SET failing_since = NULL WHERE endpoint_id = :ep")
                    .param("ep", delivery.endpoint().value()).update();
            return;
        }
        if (status != null && status == 410) {
            finish(delivery, "failed", now);
            endpoints.disable(merchant, delivery.endpoint(), "gone", Optional.empty());
            return;
        }
        Instant failingSince = jdbc.sql("UPDATE payments_webhook_endpoint SET failing_since = coalesce(failing_since, :now) "
                        + "WHERE endpoint_id = :ep RETURNING failing_since")
                .param("now", WebhookEndpoints.utc(now)).param("ep", delivery.endpoint().value())
                .query(OffsetDateTime.class).single().toInstant();
        if (!now.isBefore(failingSince.plus(WebhookLimits.DISABLE_AFTER_FAILING))) {
            finish(delivery, "failed", now);
            endpoints.disable(merchant, delivery.endpoint(), "failing", Optional.empty());
            return;
        }
        Duration delay = backoff(delivery.attempt(), random.nextDouble());
        if (outcome instanceof HttpOutcome.Response response) {
            Optional<Duration> asked = retryAfter(response);
            if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
                delay = asked.get();
            }
        }
        Instant next = now.plus(delay);
        if (next.isAfter(delivery.queued().plus(WebhookLimits.DELIVERY_WINDOW))) {
            finish(delivery, "failed", now);
            return;
        }
        jdbc.sql("UPDATE payments_webhook_delivery SET next_attempt_at = :next WHERE message_id = :msg AND endpoint_id = :ep")
                .param("next", WebhookEndpoints.utc(next)).param("msg", delivery.messageId()).param("ep", delivery.endpoint().value()).update();
    }

    private void finish(Claimed delivery, String status, Instant now) {
        jdbc.sql("UPDATE payments_webhook_delivery SET status = :status, next_attempt_at = NULL, finished_at = :now "
                        + "WHERE message_id = :msg AND endpoint_id = :ep")
                .param("status", status).param("now", WebhookEndpoints.utc(now))
                .param("msg", delivery.messageId()).param("ep", delivery.endpoint().value()).update();
    }

    /**
     * The delay after failed attempt number {@code attempt} (1-based): {@link WebhookLimits#BACKOFF_FIRST} times
     * {@link WebhookLimits#BACKOFF_FACTOR}^(attempt-1), at most {@link WebhookLimits#BACKOFF_MAX}, shortened by up to
     * {@link WebhookLimits#JITTER_FRACTION} of itself ({@code uniform} in [0, 1) picks how much).
     */
    static Duration backoff(int attempt, double uniform) {
        if (attempt < 1 || uniform < 0 || uniform >= 1) {
            throw new IllegalArgumentException("attempt >= 1, uniform in [0, 1)");
        }
        long millis = WebhookLimits.BACKOFF_FIRST.toMillis();
        for (int i = 1; i < attempt && millis < WebhookLimits.BACKOFF_MAX.toMillis(); i++) {
            millis *= WebhookLimits.BACKOFF_FACTOR;
        }
        millis = Math.min(millis, WebhookLimits.BACKOFF_MAX.toMillis());
        return Duration.ofMillis(millis - (long) (millis * WebhookLimits.JITTER_FRACTION * uniform));
    }

    /** A {@code Retry-After} in delay-seconds, at most {@link WebhookLimits#BACKOFF_MAX}; HTTP dates are ignored. */
    static Optional<Duration> retryAfter(HttpOutcome.Response response) {
        List<String> values = response.headers().getOrDefault("retry-after", List.of());
        if (values.isEmpty() || !values.getFirst().matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(values.getFirst()));
        return Optional.of(asked.compareTo(WebhookLimits.BACKOFF_MAX) > 0 ? WebhookLimits.BACKOFF_MAX : asked);
    }

    private static String prefix(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, WebhookLimits.RESPONSE_PREFIX_CHARS_MAX * 4), StandardCharsets.UTF_8);
        return cut(SafeText.escape(text, WebhookLimits.RESPONSE_PREFIX_CHARS_MAX), WebhookLimits.RESPONSE_PREFIX_CHARS_MAX);
    }

    private static String cut(String text, int charsMax) {
        return text.length() > charsMax ? text.substring(0, charsMax) : text;
    }
}
