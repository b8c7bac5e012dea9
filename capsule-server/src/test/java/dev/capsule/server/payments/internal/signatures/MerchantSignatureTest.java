package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HmacSha256HttpKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Signed merchant requests against the real server: what is accepted, and each refusal with its own problem type. */
@CapsuleServerTest
class MerchantSignatureTest {
    private static final String ECHO = "/merchant/v1/test/echo";
    private static final String CONTENT = "{\"amount\":1250,\"currency\":\"EUR\"}";

    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;

    TestMerchant merchant;

    @BeforeEach
    void merchant() {
        merchant = TestMerchants.create(jdbc, encryption, "Signature Shop");
    }

    private URI echo() {
        return https.uri(ECHO);
    }

    @Test
    void anEd25519SignedRequestIsTheMerchantAndTheControllerReadsTheSignedContent() {
        HttpResponse<String> response = https.send(SignedRequests.ed25519(merchant).request("POST", echo(), CONTENT));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestHttps.json(response);
        assertThat(body.get("merchant").asString()).isEqualTo(merchant.id().value());
        assertThat(body.get("key").asString()).isEqualTo(merchant.ed25519Key().value());
        assertThat(body.get("content").asString()).isEqualTo(CONTENT);
    }

    @Test
    void anHmacSignedRequestAndABodilessGetNeedNoContentDigest() {
        HttpResponse<String> response = https.send(SignedRequests.hmac(merchant).request("GET", echo(), null));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestHttps.json(response).get("key").asString()).isEqualTo(merchant.hmacKey().value());
    }

    @Test
    void theSameSignedRequestTwiceIsRefusedTheSecondTime() {
        HttpRequest request = SignedRequests.ed25519(merchant).request("POST", echo(), CONTENT);

        assertThat(https.send(request).statusCode()).isEqualTo(200);
        assertProblem(https.send(request), SignatureProblems.NONCE_REUSED.slug());
    }

    @Test
    void aNonceIsPerKeySoAnotherMerchantCannotBurnIt() {
        TestMerchant other = TestMerchants.create(jdbc, encryption, "Other Shop");
        String nonce = "shared-nonce-" + merchant.id().value();

        assertThat(https.send(SignedRequests.ed25519(other).nonce(nonce).request("GET", echo(), null)).statusCode()).isEqualTo(200);
        assertThat(https.send(SignedRequests.ed25519(merchant).nonce(nonce).request("GET", echo(), null)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyRefusalHasItsOwnProblemTypeAndIsAuditedAsAnAccessDenial() {
        SignedRequests ed = SignedRequests.ed25519(merchant);
        SigningKey stranger = SigningKey.generate();
        Map<String, HttpRequest> refused = new LinkedHashMap<>();
        refused.put(SignatureProblems.EXPIRED.slug(), ed.window(Duration.ofSeconds(-900), Duration.ofSeconds(120)).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.NOT_YET_VALID.slug(), ed.window(Duration.ofSeconds(600), Duration.ofSeconds(120)).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.WINDOW_INVALID.slug(), ed.window(Duration.ZERO, Duration.ofSeconds(301)).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.DIGEST_MISMATCH.slug(), ed.request("POST", echo(), CONTENT, CONTENT.replace("1250", "9999")));
        refused.put(SignatureProblems.INVALID.slug(), ed.key(new Ed25519HttpKey.Signing(stranger)).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.ALGORITHM_MISMATCH.slug(), ed.alg("hmac-sha256").request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.UNKNOWN_KEY.slug(), ed.keyid(MerchantKeyId.random().value()).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.COMPONENTS_MISSING.slug(), ed.components("@method", "@target-uri").request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.PARAMETERS_MISSING.slug(), ed.nonce(null).request("POST", echo(), CONTENT));
        refused.put(SignatureProblems.MALFORMED.slug(), HttpRequest.newBuilder(echo()).GET()
                .header(MessageSignatures.SIGNATURE_INPUT, "sig1=(\"@method\";created=1").header(MessageSignatures.SIGNATURE, "sig1=:AAAA:").build());
        refused.put(SignatureProblems.MISSING.slug(), HttpRequest.newBuilder(echo()).GET().build());
        Map<String, Long> deniedBefore = denials();

        refused.forEach((slug, request) -> assertProblem(https.send(request), slug));

        assertThat(refused.keySet()).as("distinct problem types").hasSize(11);
        Map<String, Long> deniedAfter = denials();
        refused.keySet().forEach(slug -> assertThat(deniedAfter.getOrDefault(slug, 0L) - deniedBefore.getOrDefault(slug, 0L))
                .as("access.deny entries for " + slug).isEqualTo(1));
    }

    @Test
    void theAlgorithmIsTheKeysEvenWhenTheMessageNamesTheOther() {
        // An HMAC over the base with the Ed25519 key's 32 public bytes as secret, claiming that key: refused, never tried as HMAC.
        HttpRequest swapped = SignedRequests.of(merchant.ed25519Key().value(), new HmacSha256HttpKey(merchant.ed25519Public()))
                .request("POST", echo(), CONTENT);
        assertProblem(https.send(swapped), SignatureProblems.INVALID.slug());

        HttpRequest claimed = SignedRequests.hmac(merchant).alg("ed25519").request("POST", echo(), CONTENT);
        assertProblem(https.send(claimed), SignatureProblems.ALGORITHM_MISMATCH.slug());
    }

    @Test
    void aSignatureForAnotherTargetOrMethodDoesNotVerify() {
        SignedRequests ed = SignedRequests.ed25519(merchant);
        HttpRequest signedForOtherPath = ed.request("POST", https.uri("/merchant/v1/test/other"), CONTENT);
        HttpRequest sentToEcho = HttpRequest.newBuilder(echo()).POST(HttpRequest.BodyPublishers.ofString(CONTENT))
                .headers(headers(signedForOtherPath)).build();
        assertProblem(https.send(sentToEcho), SignatureProblems.INVALID.slug());

        HttpRequest signedAsGet = ed.nonce("get-" + merchant.id().value()).request("GET", echo(), null);
        HttpRequest sentAsDelete = HttpRequest.newBuilder(echo()).DELETE().headers(headers(signedAsGet)).build();
        assertProblem(https.send(sentAsDelete), SignatureProblems.INVALID.slug());
    }

    @Test
    void aRevokedKeyOrADisabledMerchantIsAnUnknownKey() {
        jdbc.sql("UPDATE payments_merchant_key SET revoked_by = 'test', revoked_at = now() WHERE key_id = :key")
                .param("key", merchant.hmacKey().value()).update();
        assertProblem(https.send(SignedRequests.hmac(merchant).request("GET", echo(), null)), SignatureProblems.UNKNOWN_KEY.slug());

        jdbc.sql("UPDATE payments_merchant SET enabled = false WHERE merchant_id = :id").param("id", merchant.id().value()).update();
        assertProblem(https.send(SignedRequests.ed25519(merchant).request("GET", echo(), null)), SignatureProblems.UNKNOWN_KEY.slug());
    }

    @Test
    void onlyAMerchantMayCallMerchantEndpointsWhateverElseAuthenticatedTheCaller() {
        HttpResponse<String> operator = https.send(HttpRequest.newBuilder(echo()).GET()
                .header(TestAuthentication.USER_HEADER, "alice").header(TestAuthentication.ROLES_HEADER, "ADMIN").build());
        assertProblem(operator, "forbidden");

        assertThat(https.send(HttpRequest.newBuilder(echo()).GET().header(TestAuthentication.MERCHANT_HEADER, merchant.testHeader())
                .build()).statusCode()).as("the test-only merchant header stands for a verified signature").isEqualTo(200);
    }

    private static String[] headers(HttpRequest request) {
        return request.headers().map().entrySet().stream()
                .flatMap(e -> e.getValue().stream().flatMap(v -> java.util.stream.Stream.of(e.getKey(), v)))
                .toArray(String[]::new);
    }

    private Map<String, Long> denials() {
        Map<String, Long> counts = new LinkedHashMap<>();
        AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                        && AuditEvents.text(e, "action").contains(" /merchant/v1/"))
                .forEach(e -> counts.merge(AuditEvents.text(e, "reason"), 1L, Long::sum));
        return counts;
    }

    static void assertProblem(HttpResponse<String> response, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).as(response.body()).isEqualTo("https://capsule.dev/problems/" + slug);
    }
}
