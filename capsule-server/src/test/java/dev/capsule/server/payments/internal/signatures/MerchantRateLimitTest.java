package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Merchant requests are rate-limited per merchant once verified, and per client address when their signature fails
 * (the access module's buckets, through {@code CallerRateLimits}); the address bucket of a verified merchant is never
 * charged.
 */
@CapsuleServerTest
class MerchantRateLimitTest {
    private static final String ECHO = "/merchant/v1/test/echo";
    private static final String ADDRESS_BUCKET = "ip:127.0.0.1";

    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;

    @AfterEach
    void refillTheAddress() {
        // Later classes in the shared context call from 127.0.0.1 too.
        jdbc.sql("DELETE FROM rate_bucket WHERE bucket = :b").param("b", ADDRESS_BUCKET).update();
    }

    /** Empties a bucket for long enough (a merchant's refills a token every 10 ms, so it is set well below zero). */
    private void drain(String bucket) {
        jdbc.sql("UPDATE rate_bucket SET tokens = -1000, updated_at = clock_timestamp() WHERE bucket = :b").param("b", bucket).update();
    }

    private Optional<Double> tokens(String bucket) {
        return jdbc.sql("SELECT tokens FROM rate_bucket WHERE bucket = :b").param("b", bucket).query(Double.class).optional();
    }

    private static String merchantBucket(TestMerchant merchant) {
        return "caller:merchant:" + merchant.id().value();
    }

    private HttpResponse<String> signedGet(TestMerchant merchant) {
        return https.send(SignedRequests.ed25519(merchant).request("GET", https.uri(ECHO), null));
    }

    @Test
    void aVerifiedMerchantPaysItsOwnBucketNotItsAddresss() {
        TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Bucket Shop");
        jdbc.sql("DELETE FROM rate_bucket WHERE bucket = :b").param("b", ADDRESS_BUCKET).update();

        assertThat(signedGet(merchant).statusCode()).isEqualTo(200);
        assertThat(signedGet(merchant).statusCode()).isEqualTo(200);

        assertThat(tokens(merchantBucket(merchant))).as("the merchant's own bucket paid").isPresent();
        assertThat(tokens(ADDRESS_BUCKET)).as("the address paid nothing").isEmpty();
    }

    @Test
    void anEmptyMerchantBucketAnswers429WithRetryAfterAndAnotherMerchantAtTheSameAddressGoesOn() {
        TestMerchant busy = TestMerchants.create(jdbc, encryption, "Busy Shop");
        TestMerchant quiet = TestMerchants.create(jdbc, encryption, "Quiet Shop");
        assertThat(signedGet(busy).statusCode()).isEqualTo(200);
        drain(merchantBucket(busy));

        HttpResponse<String> refused = signedGet(busy);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(TestHttps.json(refused).get("type").asString()).endsWith("/rate-limited");
        assertThat(TestHttps.json(refused).get("limit").asString()).isEqualTo("merchant");
        assertThat(signedGet(quiet).statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedSignaturePaysTheAddressAndAnEmptyAddressBucketAnswers429BeforeTheSignatureIsJudged() {
        jdbc.sql("DELETE FROM rate_bucket WHERE bucket = :b").param("b", ADDRESS_BUCKET).update();
        HttpRequest unsigned = HttpRequest.newBuilder(https.uri(ECHO)).GET().build();

        HttpResponse<String> forbidden = https.send(unsigned);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(tokens(ADDRESS_BUCKET)).as("the address paid for the failed signature").isPresent();

        drain(ADDRESS_BUCKET);
        HttpResponse<String> limited = https.send(unsigned);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(TestHttps.json(limited).get("limit").asString()).isEqualTo("client-address");
    }
}
