package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.internal.acquirer.TestAcquirer;
import dev.capsule.server.payments.internal.signatures.SignedRequests;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Every merchant POST works through the real RFC 9421 filter (core's signer, no test header) and the real
 * {@code IdempotentRequests}: payment intents (create, confirm, capture, cancel), refunds and webhook endpoints (create,
 * rotate, disable); and each intents POST without an {@code Idempotency-Key} is refused with
 * {@code idempotency-key-missing} and changes nothing.
 */
@CapsuleServerTest
class SignedMerchantPostsTest {
    @Autowired ApplicationContext context;

    PaymentFixtures fixtures;
    PaymentFixtures.Shop shop;

    @BeforeEach
    void setUp() {
        fixtures = new PaymentFixtures(context);
        shop = fixtures.shop();
    }

    @Test
    void everyMerchantPostSucceedsWithARealSignature() {
        JsonNode first = ok(201, signed("/merchant/v1/payment-intents", newIntent(""), true));
        assertThat(ok(200, signed("/merchant/v1/payment-intents/" + first.get("id").asString() + "/cancel", "", true))
                .get("status").asString()).isEqualTo("canceled");

        Payer payer = PaymentFixtures.payer();
        JsonNode intent = ok(201, signed("/merchant/v1/payment-intents", newIntent(",\"captureMethod\":\"manual\""), true));
        String id = intent.get("id").asString();
        fixtures.prepare(shop, payer, intent);
        String token = fixtures.card(shop, payer, TestAcquirer.APPROVE).value();
        JsonNode held = ok(200, signed("/merchant/v1/payment-intents/" + id + "/confirm", "{\"paymentMethod\":\"" + token + "\"}", true));
        assertThat(held.get("status").asString()).isEqualTo("requires_capture");
        assertThat(ok(200, signed("/merchant/v1/payment-intents/" + id + "/capture", "{}", true)).get("status").asString())
                .isEqualTo("succeeded");
        assertThat(ok(201, signed("/merchant/v1/refunds", "{\"paymentIntent\":\"" + id + "\",\"amount\":100}", true))
                .get("amount").asLong()).isEqualTo(100);

        String endpoint = ok(201, signed("/merchant/v1/webhook-endpoints",
                "{\"url\":\"https://hooks.example.com/signed\",\"events\":[\"refund.created\"]}", true)).get("id").asString();
        ok(200, signed("/merchant/v1/webhook-endpoints/" + endpoint + "/rotate-secret", "{}", true));
        assertThat(ok(200, signed("/merchant/v1/webhook-endpoints/" + endpoint + "/disable", "", true)).get("status").asString())
                .isEqualTo("disabled");
    }

    @Test
    void everyIntentsPostWithoutAnIdempotencyKeyIsRefusedWith400AndChangesNothing() {
        JsonNode intent = ok(201, signed("/merchant/v1/payment-intents", newIntent(""), true));
        String id = intent.get("id").asString();
        long intentsBefore = intents();

        assertMissingKey(signed("/merchant/v1/payment-intents", newIntent(""), false));
        assertMissingKey(signed("/merchant/v1/payment-intents/" + id + "/confirm", "{\"paymentMethod\":\"wallet\"}", false));
        assertMissingKey(signed("/merchant/v1/payment-intents/" + id + "/capture", "{}", false));
        assertMissingKey(signed("/merchant/v1/payment-intents/" + id + "/cancel", "", false));
        assertMissingKey(signed("/merchant/v1/refunds", "{\"paymentIntent\":\"" + id + "\"}", false));

        assertThat(intents()).isEqualTo(intentsBefore);
        assertThat(TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents/" + id)).get("status").asString())
                .as("nothing ran: still as created").isEqualTo(intent.get("status").asString());
    }

    private String newIntent(String more) {
        return "{\"amount\":900,\"currency\":\"CNY\",\"appId\":\"" + shop.app().value() + "\",\"description\":\"signed\"" + more + "}";
    }

    private long intents() {
        return fixtures.jdbc.sql("SELECT count(*) FROM payments_intent WHERE merchant_id = :m").param("m", shop.merchant().id().value())
                .query(Long.class).single();
    }

    /** A POST signed with the merchant's Ed25519 key by core's signer, through the real filter (no test header). */
    private HttpResponse<String> signed(String path, String body, boolean withKey) {
        HttpRequest request = SignedRequests.ed25519(shop.merchant()).request("POST", fixtures.https.uri(path), body.isEmpty() ? null : body);
        if (withKey) {
            request = HttpRequest.newBuilder(request, (name, value) -> true).header("Idempotency-Key", UUID.randomUUID().toString()).build();
        }
        return fixtures.https.send(request);
    }

    private static void assertMissingKey(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestHttps.json(response).get("type").asString()).endsWith("/idempotency-key-missing");
    }

    private static JsonNode ok(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestHttps.json(response);
    }
}
