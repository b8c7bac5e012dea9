package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code /merchant/v1/webhook-endpoints} over HTTPS, as a merchant (authenticated by the test header, not a signature). */
@CapsuleServerTest
class MerchantWebhookApiTest {
    private static final String BASE = "/merchant/v1/webhook-endpoints";
    private static final String URL = "https://" + WebhookReceiverTls.HOST + "/api-test";

    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;

    @Test
    void aMerchantAddsAnEndpointSeesItsSecretOnceRotatesAndDisablesIt() {
        TestMerchants.TestMerchant merchant = TestMerchants.create(jdbc, encryption, "API Shop");
        String key = UUID.randomUUID().toString();
        String body = "{\"url\":\"" + URL + "\",\"events\":[\"payment_intent.succeeded\",\"refund.created\"]}";
        HttpResponse<String> created = post(merchant, BASE, key, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode endpoint = TestHttps.json(created);
        String id = endpoint.get("id").asString();
        assertThat(id).matches("we_[a-z2-7]{26}");
        assertThat(created.headers().firstValue("Location")).contains(BASE + "/" + id);
        assertThat(endpoint.get("secret").asString()).startsWith("whsec_");
        assertThat(WebhookSigningKey.parseSecret(endpoint.get("secret").asString())).hasSize(WebhookSigningKey.SECRET_BYTES);
        assertThat(endpoint.get("publicKey").asString()).startsWith("whpk_");
        assertThat(endpoint.get("status").asString()).isEqualTo("enabled");

        assertThat(storedWithSecret()).as("the stored first response is sealed: no whsec_ anywhere in the idempotency records")
                .isZero();
        HttpResponse<String> replay = post(merchant, BASE, key, body);
        assertThat(TestHttps.json(replay).get("id").asString()).as("the same key replays, never a second endpoint").isEqualTo(id);
        assertThat(TestHttps.json(replay).get("secret").asString()).isEqualTo(endpoint.get("secret").asString());

        JsonNode list = TestHttps.json(https.get(BASE, TestAuthentication.MERCHANT_HEADER, merchant.testHeader()));
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.get("data").get(0).has("secret")).as("a secret is shown once, never listed").isFalse();
        assertThat(list.get("data").get(0).get("publicKeys").get(0).asString()).isEqualTo(endpoint.get("publicKey").asString());

        HttpResponse<String> rotated = post(merchant, BASE + "/" + id + "/rotate-secret", UUID.randomUUID().toString(),
                "{\"previousSecretExpiresInSeconds\":600}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(TestHttps.json(rotated).get("secret").asString()).isNotEqualTo(endpoint.get("secret").asString());
        assertThat(TestHttps.json(rotated).get("publicKeys")).hasSize(2);

        HttpResponse<String> disabled = post(merchant, BASE + "/" + id + "/disable", UUID.randomUUID().toString(), "");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(TestHttps.json(disabled).get("status").asString()).isEqualTo("disabled");
        assertThat(TestHttps.json(disabled).get("disabledReason").asString()).isEqualTo("merchant");
        assertProblem(post(merchant, BASE + "/" + id + "/rotate-secret", UUID.randomUUID().toString(), ""), 409, "webhook-endpoint-disabled");

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "object").equals(id)))
                .extracting(e -> AuditEvents.line(e, " ", "type", "merchant", "detail"))
                .containsExactly("webhook-endpoint.change " + merchant.id().value() + " added",
                        "webhook-endpoint.change " + merchant.id().value() + " rotated",
                        "webhook-endpoint.disable " + merchant.id().value() + " merchant");
    }

    @Test
    void anotherMerchantsEndpointIsExactlyLikeAnUnknownOne() {
        TestMerchants.TestMerchant owner = TestMerchants.create(jdbc, encryption, "Owner Shop");
        TestMerchants.TestMerchant other = TestMerchants.create(jdbc, encryption, "Other Shop");
        String id = TestHttps.json(post(owner, BASE, UUID.randomUUID().toString(), "{\"url\":\"" + URL + "\",\"events\":[\"refund.created\"]}"))
                .get("id").asString();
        assertProblem(post(other, BASE + "/" + id + "/disable", UUID.randomUUID().toString(), ""), 404, "webhook-endpoint-not-found");
        assertProblem(post(other, BASE + "/" + id + "/rotate-secret", UUID.randomUUID().toString(), ""), 404, "webhook-endpoint-not-found");
        assertProblem(post(other, BASE + "/we_aaaaaaaaaaaaaaaaaaaaaaaaaa/disable", UUID.randomUUID().toString(), ""), 404, "webhook-endpoint-not-found");
        assertThat(TestHttps.json(https.get(BASE, TestAuthentication.MERCHANT_HEADER, other.testHeader())).get("data")).isEmpty();
        assertThat(TestHttps.json(https.get(BASE, TestAuthentication.MERCHANT_HEADER, owner.testHeader())).get("data").get(0).get("status").asString())
                .isEqualTo("enabled");
    }

    @Test
    void badRequestsGetSpecificProblems() {
        TestMerchants.TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Careless Shop");
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"http://hooks.example.com/x\",\"events\":[\"refund.created\"]}"),
                422, "webhook-url-refused");
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"https://169.254.169.254/latest\",\"events\":[\"refund.created\"]}"),
                422, "webhook-url-refused");
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"" + URL + "\",\"events\":[\"charge.succeeded\"]}"),
                422, "webhook-event-unknown");
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"" + URL + "\",\"events\":[]}"), 422, "webhook-event-unknown");
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"" + URL + "\"}"), 400, dev.capsule.server.platform.ProblemType.VALIDATION.slug());
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "{\"url\":\"" + URL + "\",\"events\":[\"refund.created\"],\"secret\":\"x\"}"),
                400, ProblemTypeSlugs.UNKNOWN_FIELD);
        assertProblem(post(merchant, BASE, UUID.randomUUID().toString(), "not json"), 400, ProblemTypeSlugs.MALFORMED);
        assertProblem(post(merchant, BASE, null, "{\"url\":\"" + URL + "\",\"events\":[\"refund.created\"]}"), 400, "idempotency-key-missing");
        assertThat(jdbc.sql("SELECT count(*) FROM payments_webhook_endpoint WHERE merchant_id = :m").param("m", merchant.id().value())
                .query(Long.class).single()).isZero();
    }

    private long storedWithSecret() {
        return jdbc.sql("SELECT count(*) FROM payments_idempotency WHERE position(convert_to('whsec_', 'UTF8') IN body) > 0")
                .query(Long.class).single();
    }

    private HttpResponse<String> post(TestMerchants.TestMerchant merchant, String path, String idempotencyKey, String body) {
        HttpRequest.Builder request = https.request(path).header(TestAuthentication.MERCHANT_HEADER, merchant.testHeader())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return https.send(request.build());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).endsWith("/" + slug);
    }

    /** The platform's generic slugs this test expects. */
    private static final class ProblemTypeSlugs {
        static final String UNKNOWN_FIELD = dev.capsule.server.platform.ProblemType.UNKNOWN_FIELD.slug();
        static final String MALFORMED = dev.capsule.server.platform.ProblemType.MALFORMED_REQUEST.slug();
    }
}
