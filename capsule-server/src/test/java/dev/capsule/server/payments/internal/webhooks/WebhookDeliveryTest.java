package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestMerchants;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivery against a local HTTPS receiver, through the runtime's guarded client, with a clock the test moves: retries
 * and their backoff, Retry-After, 410, persistent failure, rotation overlap, and two workers sharing the queue.
 */
@CapsuleServerTest
class WebhookDeliveryTest {
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;
    @Autowired TransactionTemplate transactions;
    @Autowired JsonMapper json;
    @Autowired ApplicationEventPublisher publisher;

    private final MutableClock clock = new MutableClock();
    private ScriptedReceiver receiver;
    private GuardedHttpClient client;
    private WebhookEndpoints endpoints;
    private JdbcWebhookOutbox outbox;
    private WebhookDeliveries deliveries;
    private MerchantId merchant;

    @BeforeEach
    void start() {
        receiver = new ScriptedReceiver();
        client = receiver.tls.client(receiver.port());
        endpoints = new WebhookEndpoints(jdbc, encryption, publisher, clock);
        outbox = new JdbcWebhookOutbox(jdbc, json, clock);
        deliveries = new WebhookDeliveries(jdbc, transactions, endpoints, client, clock, new Random(1));
        merchant = TestMerchants.create(jdbc, encryption, "Delivery Test Shop").id();
        // Rows other tests left due must not be sent to this test's receiver paths; nothing else is asserted on them.
        jdbc.sql("UPDATE payments_webhook_delivery SET status = 'canceled', next_attempt_at = NULL, finished_at = now() WHERE status = 'pending'").update();
    }

    @AfterEach
    void stop() {
        client.close();
        receiver.close();
        clock.reset();
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsBackoffAndNotBeforeAndSuccessEndsIt() {
        WebhookEndpoints.Created endpoint = create("/retry");
        receiver.reply("/retry", new ScriptedReceiver.Reply(500, Map.of(), "\u0007oops\n".repeat(2_000)), ScriptedReceiver.status(204));
        String message = enqueue("payment_intent.succeeded");

        deliveries.deliverDue();
        assertThat(receiver.to("/retry")).hasSize(1);
        assertThat(delivery(message, endpoint).status()).isEqualTo("pending");
        Duration wait = Duration.between(clock.instant(), delivery(message, endpoint).next());
        assertThat(wait).as("first backoff: 5 s less up to 25 % jitter").isBetween(Duration.ofMillis(3_700), Duration.ofSeconds(5));
        String prefix = jdbc.sql("SELECT response_prefix FROM payments_webhook_attempt WHERE message_id = :m").param("m", message).query(String.class).single();
        assertThat(prefix.length()).as("only a bounded prefix of the response is kept").isLessThanOrEqualTo(WebhookLimits.RESPONSE_PREFIX_CHARS_MAX);
        assertThat(prefix).as("escaped: no control characters or newlines stored").doesNotContain("\u0007", "\n");

        deliveries.deliverDue();
        assertThat(receiver.to("/retry")).as("not before its time").hasSize(1);

        clock.advance(Duration.ofSeconds(5));
        deliveries.deliverDue();
        assertThat(receiver.to("/retry")).hasSize(2);
        assertThat(delivery(message, endpoint).status()).isEqualTo("succeeded");
        assertThat(delivery(message, endpoint).attempts()).isEqualTo(2);
        clock.advance(Duration.ofDays(1));
        deliveries.deliverDue();
        assertThat(receiver.to("/retry")).as("a delivered message is never sent again").hasSize(2);

        byte[] secret = WebhookSigningKey.parseSecret(endpoint.secret());
        for (ScriptedReceiver.Received request : receiver.to("/retry")) {
            assertThat(request.header("webhook-id")).as("the same id on every attempt").isEqualTo(message);
            String v1 = WebhookSignatures.v1(secret, message, Long.parseLong(request.header("webhook-timestamp")), request.body());
            assertThat(request.header("webhook-signature").split(" ")).contains(v1);
            assertThat(request.header("content-type")).isEqualTo("application/json");
        }
        assertThat(json.readTree(receiver.to("/retry").getFirst().body()).get("type").asString()).isEqualTo("payment_intent.succeeded");
    }

    @Test
    void retryAfterPushesTheNextAttemptBackUpToTheCap() {
        WebhookEndpoints.Created endpoint = create("/busy");
        receiver.reply("/busy", new ScriptedReceiver.Reply(429, Map.of("Retry-After", "3600"), ""),
                new ScriptedReceiver.Reply(503, Map.of("Retry-After", "999999999"), ""));
        String message = enqueue("refund.created");
        Instant now = clock.instant();
        deliveries.deliverDue();
        assertThat(Duration.between(now, delivery(message, endpoint).next())).isBetween(Duration.ofSeconds(3_600), Duration.ofSeconds(3_601));
        clock.advance(Duration.ofSeconds(3_600));
        now = clock.instant();
        deliveries.deliverDue();
        assertThat(receiver.to("/busy")).hasSize(2);
        assertThat(Duration.between(now, delivery(message, endpoint).next())).as("never beyond the longest backoff")
                .isBetween(WebhookLimits.BACKOFF_MAX.minusSeconds(1), WebhookLimits.BACKOFF_MAX.plusSeconds(1));
    }

    @Test
    void a410DisablesTheEndpointAtOnceAndNothingMoreIsSentOrQueued() {
        WebhookEndpoints.Created endpoint = create("/gone");
        WebhookEndpoints.Created sibling = create("/sibling");
        receiver.reply("/gone", ScriptedReceiver.status(410), ScriptedReceiver.status(410));
        enqueue("payment_intent.succeeded");
        enqueue("payment_intent.succeeded");
        deliveries.deliverDue();

        WebhookEndpoint gone = endpoints.find(merchant, endpoint.endpoint().id()).orElseThrow();
        assertThat(gone.enabled()).isFalse();
        assertThat(gone.disabled()).contains("gone");
        assertThat(pending(endpoint)).isZero();
        assertThat(endpoints.find(merchant, sibling.endpoint().id()).orElseThrow().enabled()).as("only that endpoint").isTrue();
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("webhook-endpoint.disable")
                && AuditEvents.text(e, "object").equals(endpoint.endpoint().id().value())))
                .extracting(e -> AuditEvents.line(e, " ", "merchant", "detail")).containsExactly(merchant.value() + " gone");

        enqueue("payment_intent.succeeded");
        clock.advance(Duration.ofDays(1));
        deliveries.deliverDue();
        assertThat(receiver.to("/gone")).as("nothing after the 410").hasSizeLessThanOrEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM payments_webhook_delivery WHERE endpoint_id = :ep").param("ep", endpoint.endpoint().id().value())
                .query(Long.class).single()).as("a disabled endpoint gets no new deliveries").isEqualTo(2);
        assertThat(receiver.to("/sibling")).hasSize(3);
    }

    @Test
    void aMessageIsRetriedForThreeDaysThenFailsAndAnEndpointFailingForThreeDaysIsDisabled() {
        WebhookEndpoints.Created endpoint = create("/down");
        ScriptedReceiver.Reply[] failures = new ScriptedReceiver.Reply[30];
        Arrays.fill(failures, ScriptedReceiver.status(503));
        receiver.reply("/down", failures);
        Instant queued = clock.instant();
        String first = enqueue("payment_intent.payment_failed");
        for (int round = 0; round < 20 && delivery(first, endpoint).status().equals("pending"); round++) {
            deliveries.deliverDue();
            Delivery now = delivery(first, endpoint);
            if (now.next() != null) {
                clock.advance(Duration.between(clock.instant(), now.next()));
            }
        }
        assertThat(delivery(first, endpoint).status()).isEqualTo("failed");
        assertThat(delivery(first, endpoint).attempts()).as("exponential backoff fits about 10 attempts into the window").isBetween(9, 11);
        assertThat(Duration.between(queued, clock.instant())).isLessThanOrEqualTo(WebhookLimits.DELIVERY_WINDOW);
        assertThat(endpoints.find(merchant, endpoint.endpoint().id()).orElseThrow().enabled())
                .as("not yet three days of failure: still enabled").isTrue();

        clock.advance(Duration.between(clock.instant(), queued.plus(WebhookLimits.DISABLE_AFTER_FAILING).plusSeconds(1)));
        String second = enqueue("payment_intent.payment_failed");
        deliveries.deliverDue();
        assertThat(endpoints.find(merchant, endpoint.endpoint().id()).orElseThrow().disabled()).contains("failing");
        assertThat(delivery(second, endpoint).status()).isEqualTo("failed");
    }

    @Test
    void aSuccessEndsAFailingStreak() {
        WebhookEndpoints.Created endpoint = create("/flaky");
        receiver.reply("/flaky", ScriptedReceiver.status(500), ScriptedReceiver.status(200));
        enqueue("payment_intent.created");
        deliveries.deliverDue();
        assertThat(failingSince(endpoint)).isNotNull();
        clock.advance(Duration.ofSeconds(5));
        deliveries.deliverDue();
        assertThat(failingSince(endpoint)).isNull();
    }

    @Test
    void duringARotationBothKeysSignAndAfterTheOverlapOnlyTheNewOne() {
        WebhookEndpoints.Created created = create("/rotate");
        WebhookEndpoints.Created rotated = endpoints.rotate(merchant, created.endpoint().id(), Duration.ofMinutes(1), Optional.empty());
        String during = enqueue("payment_intent.canceled");
        deliveries.deliverDue();
        ScriptedReceiver.Received first = receiver.to("/rotate").getFirst();
        long timestamp = Long.parseLong(first.header("webhook-timestamp"));
        assertThat(first.header("webhook-signature").split(" ")).hasSize(4).contains(
                WebhookSignatures.v1(WebhookSigningKey.parseSecret(created.secret()), during, timestamp, first.body()),
                WebhookSignatures.v1(WebhookSigningKey.parseSecret(rotated.secret()), during, timestamp, first.body()));
        assertThat(endpoints.find(merchant, created.endpoint().id()).orElseThrow().publicKeys()).containsExactly(rotated.publicKey(), created.publicKey());

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        String after = enqueue("payment_intent.canceled");
        deliveries.deliverDue();
        ScriptedReceiver.Received second = receiver.to("/rotate").get(1);
        long later = Long.parseLong(second.header("webhook-timestamp"));
        assertThat(second.header("webhook-signature").split(" ")).hasSize(2)
                .contains(WebhookSignatures.v1(WebhookSigningKey.parseSecret(rotated.secret()), after, later, second.body()))
                .doesNotContain(WebhookSignatures.v1(WebhookSigningKey.parseSecret(created.secret()), after, later, second.body()));

        WebhookEndpoints.Created again = endpoints.rotate(merchant, created.endpoint().id(), Duration.ofHours(1), Optional.empty());
        WebhookEndpoints.Created thrice = endpoints.rotate(merchant, created.endpoint().id(), Duration.ofHours(1), Optional.empty());
        assertThat(endpoints.find(merchant, created.endpoint().id()).orElseThrow().publicKeys())
                .as("a second rotation ends the older overlap: never more than two valid keys").containsExactly(thrice.publicKey(), again.publicKey());
    }

    @Test
    void secretsAreSealedAtRestBoundToTheirRow() {
        WebhookEndpoints.Created created = create("/sealed");
        byte[] secret = WebhookSigningKey.parseSecret(created.secret());
        byte[] sealed = jdbc.sql("SELECT secret_sealed FROM payments_webhook_key WHERE endpoint_id = :ep").param("ep", created.endpoint().id().value())
                .query(byte[].class).single();
        assertThat(indexOf(sealed, secret)).as("no clear secret in the column").isEqualTo(-1);
        assertThat(created.toString()).doesNotContain(created.secret());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encryption.open(dev.capsule.server.keys.DataPurpose.MERCHANT_SECRETS, sealed,
                WebhookEndpoints.place(created.endpoint().id(), 1, "signing-key"))).as("bound to its place").isInstanceOf(RuntimeException.class);
    }

    @Test
    void twoWorkersSharingTheQueueDeliverEveryMessageExactlyOnce() throws Exception {
        create("/many");
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            messages.add(enqueue("payment_intent.created"));
        }
        try (GuardedHttpClient otherClient = receiver.tls.client(receiver.port())) {
            WebhookDeliveries otherNode = new WebhookDeliveries(jdbc, transactions, endpoints, otherClient, clock, new Random(2));
            CyclicBarrier start = new CyclicBarrier(2);
            Function<WebhookDeliveries, CompletableFuture<Integer>> drain = worker -> CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                int total = 0;
                for (int claimed = worker.deliverDue(); claimed > 0; claimed = worker.deliverDue()) {
                    total += claimed;
                }
                return total;
            });
            CompletableFuture<Integer> one = drain.apply(deliveries);
            CompletableFuture<Integer> two = drain.apply(otherNode);
            assertThat(one.get() + two.get()).isEqualTo(40);
        }
        Map<String, Long> perMessage = receiver.to("/many").stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertThat(perMessage.keySet()).containsExactlyInAnyOrderElementsOf(messages);
        assertThat(perMessage.values()).allMatch(count -> count == 1);
    }

    private WebhookEndpoints.Created create(String path) {
        return endpoints.create(merchant, "https://" + WebhookReceiverTls.HOST + path, List.copyOf(WebhookEvents.TYPES), Optional.empty());
    }

    private String enqueue(String type) {
        return transactions.execute(status -> outbox.enqueue(merchant, type, json.createObjectNode().put("id", "pi_x").put("amount", 1200)));
    }

    record Delivery(String status, int attempts, Instant next) {
    }

    private Delivery delivery(String message, WebhookEndpoints.Created endpoint) {
        return jdbc.sql("SELECT status, attempts, next_attempt_at FROM payments_webhook_delivery WHERE message_id = :m AND endpoint_id = :ep")
                .param("m", message).param("ep", endpoint.endpoint().id().value())
                .query((row, n) -> new Delivery(row.getString(1), row.getInt(2),
                        row.getObject(3, OffsetDateTime.class) == null ? null : row.getObject(3, OffsetDateTime.class).toInstant()))
                .single();
    }

    private long pending(WebhookEndpoints.Created endpoint) {
        return jdbc.sql("SELECT count(*) FROM payments_webhook_delivery WHERE endpoint_id = :ep AND status = 'pending'")
                .param("ep", endpoint.endpoint().id().value()).query(Long.class).single();
    }

    private OffsetDateTime failingSince(WebhookEndpoints.Created endpoint) {
        return jdbc.sql("SELECT failing_since FROM payments_webhook_endpoint WHERE endpoint_id = :ep").param("ep", endpoint.endpoint().id().value())
                .query((row, n) -> row.getObject(1, OffsetDateTime.class)).optional().orElse(null);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
