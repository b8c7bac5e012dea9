package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.internal.MerchantSecretsRotations;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rotation of the {@code merchant-secrets} keys also reseals every webhook endpoint's signing material (through
 * {@link WebhookKeyHolder}), so after the old key is retired each endpoint still signs with the secret the merchant was
 * shown — including a version kept valid by a secret rotation's overlap — and a stored Idempotency-Key record (sealed
 * under the same purpose) still replays its first response.
 */
@CapsuleServerTest
class WebhookKeyRotationTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;
    @Autowired WebhookEndpoints endpoints;
    @Autowired WebhookKeyHolder holder;

    @Test
    void afterAMerchantSecretsRotationAndRetirementWebhooksStillSignWithTheSecretsShown() throws InterruptedException {
        MerchantId merchant = TestMerchants.create(jdbc, encryption, "Webhook Rotation Shop").id();
        WebhookEndpoints.Created first = endpoints.create(merchant, "https://hooks.example.com/rotation",
                List.of("payment_intent.succeeded"), Optional.empty());
        WebhookEndpoints.Created second = endpoints.rotate(merchant, first.endpoint().id(), Duration.ofHours(24), Optional.empty());
        // A create whose first response (with its whsec_ secret) is stored for replay under the Idempotency-Key.
        TestMerchants.TestMerchant api = TestMerchants.create(jdbc, encryption, "Webhook Replay Shop");
        String idempotencyKey = UUID.randomUUID().toString();
        String request = "{\"url\":\"https://hooks.example.com/replay\",\"events\":[\"refund.created\"]}";
        HttpResponse<String> created = createOverHttp(api, idempotencyKey, request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int oldKey = FieldEncryption.keyIdOf(jdbc.sql("SELECT secret_sealed FROM payments_webhook_key WHERE endpoint_id = :id AND version = 1")
                .param("id", first.endpoint().id().value()).query(byte[].class).single());
        assertThat(holder.countUnder(oldKey)).isPositive();

        String newKey = MerchantSecretsRotations.rotateAndRetire(context, https);

        assertThat(holder.countUnder(oldKey)).isZero();
        HttpResponse<String> replayed = createOverHttp(api, idempotencyKey, request);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(201);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).as("a replay, not a second endpoint").hasValue("true");
        assertThat(TestHttps.json(replayed).get("secret").asString()).isEqualTo(TestHttps.json(created).get("secret").asString());
        List<byte[]> sealed = jdbc.sql("SELECT secret_sealed FROM payments_webhook_key WHERE endpoint_id = :id UNION ALL "
                        + "SELECT signing_key_sealed FROM payments_webhook_key WHERE endpoint_id = :id")
                .param("id", first.endpoint().id().value()).query(byte[].class).list();
        assertThat(sealed).hasSize(4).allSatisfy(value -> assertThat(String.format("%08x", FieldEncryption.keyIdOf(value))).isEqualTo(newKey));

        byte[] body = "{\"type\":\"payment_intent.succeeded\"}".getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        String header = WebhookSignatures.header(endpoints.validKeys(first.endpoint().id(), Instant.now()), "msg_rotation", timestamp, body);
        assertThat(header.split(" ")).contains(
                WebhookSignatures.v1(WebhookSigningKey.parseSecret(second.secret()), "msg_rotation", timestamp, body),
                WebhookSignatures.v1(WebhookSigningKey.parseSecret(first.secret()), "msg_rotation", timestamp, body));
    }

    private HttpResponse<String> createOverHttp(TestMerchants.TestMerchant merchant, String idempotencyKey, String body) {
        return https.send(https.request("/merchant/v1/webhook-endpoints").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .header(TestAuthentication.MERCHANT_HEADER, merchant.testHeader()).build());
    }
}
