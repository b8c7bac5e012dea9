package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StandardWebhooksSignatureTest {

    private static Properties vector() throws IOException {
        Properties vector = new Properties();
        try (InputStream in = StandardWebhooksSignatureTest.class.getResourceAsStream("/webhooks/standard-webhooks-vector.properties")) {
            vector.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return vector;
    }

    @Test
    void theSpecificationsTestVectorSignsToItsPublishedSignature() throws IOException {
        Properties vector = vector();
        String signature = WebhookSignatures.v1(WebhookSigningKey.parseSecret(vector.getProperty("secret")), vector.getProperty("msgId"),
                Long.parseLong(vector.getProperty("timestamp")), vector.getProperty("payload").getBytes(StandardCharsets.UTF_8));
        assertThat(signature).isEqualTo(vector.getProperty("signature"));
        // The negative: one byte of the body changed gives another signature.
        assertThat(WebhookSignatures.v1(WebhookSigningKey.parseSecret(vector.getProperty("secret")), vector.getProperty("msgId"),
                Long.parseLong(vector.getProperty("timestamp")), "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(vector.getProperty("signature"));
    }

    @Test
    void v1aIsAnEd25519SignatureOfTheSameContentThatThePublishedPublicKeyVerifies() throws Exception {
        WebhookSigningKey key = WebhookSigningKey.generate();
        byte[] body = "{\"type\":\"refund.created\"}".getBytes(StandardCharsets.UTF_8);
        String v1a = WebhookSignatures.v1a(key.ed25519Private(), "msg_abc", 1_700_000_000L, body);
        assertThat(v1a).startsWith("v1a,");
        byte[] publicKey = Base64.getDecoder().decode(key.serializedPublicKey().substring("whpk_".length()));
        assertThat(verifyEd25519(publicKey, "msg_abc.1700000000.{\"type\":\"refund.created\"}", v1a.substring(4))).isTrue();
        assertThat(verifyEd25519(publicKey, "msg_abc.1700000001.{\"type\":\"refund.created\"}", v1a.substring(4)))
                .as("another timestamp is other content").isFalse();
        assertThat(verifyEd25519(WebhookSigningKey.generate().publicKey(), "msg_abc.1700000000.{\"type\":\"refund.created\"}", v1a.substring(4)))
                .as("another endpoint's key does not verify").isFalse();
    }

    @Test
    void theHeaderListsEveryValidKeysV1ThenV1aSpaceSeparated() {
        WebhookSigningKey current = WebhookSigningKey.generate();
        WebhookSigningKey previous = WebhookSigningKey.generate();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignatures.header(List.of(current, previous), "msg_x", 5, body);
        assertThat(header.split(" ")).containsExactly(
                WebhookSignatures.v1(current.hmacSecret(), "msg_x", 5, body), WebhookSignatures.v1(previous.hmacSecret(), "msg_x", 5, body),
                WebhookSignatures.v1a(current.ed25519Private(), "msg_x", 5, body), WebhookSignatures.v1a(previous.ed25519Private(), "msg_x", 5, body));
        assertThatThrownBy(() -> WebhookSignatures.header(List.of(), "msg_x", 5, body))
                .as("never unsigned").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMessageIdWithTheDelimiterIsRefusedSoTheSignedContentIsUnambiguous() {
        byte[] secret = WebhookSigningKey.generate().hmacSecret();
        assertThatThrownBy(() -> WebhookSignatures.v1(secret, "msg.1", 5, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignatures.v1(secret, "msg 1", 5, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(WebhookSignatures.v1(secret, JdbcWebhookOutbox.messageId(), 5, new byte[0])).startsWith("v1,");
    }

    @Test
    void keysAndSecretsNeverPrintThemselves() {
        WebhookSigningKey key = WebhookSigningKey.generate();
        assertThat(key.toString()).doesNotContain(key.serializedSecret().substring(6)).isEqualTo("WebhookSigningKey[redacted]");
        assertThat(key.serializedSecret()).startsWith("whsec_");
        assertThat(WebhookSigningKey.parseSecret(key.serializedSecret())).isEqualTo(key.hmacSecret());
        assertThatThrownBy(() -> new WebhookSigningKey(new byte[23], key.ed25519Private()))
                .as("the spec's lower bound, 24 bytes").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffGrowsExponentiallyWithBoundedJitterAndStopsAtTheCap() {
        assertThat(WebhookDeliveries.backoff(1, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WebhookDeliveries.backoff(2, 0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(WebhookDeliveries.backoff(3, 0)).isEqualTo(Duration.ofSeconds(80));
        assertThat(WebhookDeliveries.backoff(2, 0.999)).isGreaterThan(Duration.ofSeconds(15)).isLessThan(Duration.ofSeconds(20));
        assertThat(WebhookDeliveries.backoff(30, 0)).isEqualTo(WebhookLimits.BACKOFF_MAX);
        assertThat(WebhookDeliveries.backoff(1_000_000, 0)).as("no overflow").isEqualTo(WebhookLimits.BACKOFF_MAX);
        // Without jitter: 10 attempts, the last ~54 h after the first; the next would pass the 72 h window.
        Duration elapsed = Duration.ZERO;
        int attempts = 1;
        while (elapsed.plus(WebhookDeliveries.backoff(attempts, 0)).compareTo(WebhookLimits.DELIVERY_WINDOW) <= 0) {
            elapsed = elapsed.plus(WebhookDeliveries.backoff(attempts, 0));
            attempts++;
        }
        assertThat(attempts).isEqualTo(10);
        assertThat(elapsed).isGreaterThan(Duration.ofHours(48));
    }

    private static boolean verifyEd25519(byte[] raw, String content, String base64) throws Exception {
        byte[] littleEndian = raw.clone();
        boolean xOdd = (littleEndian[31] & 0x80) != 0;
        littleEndian[31] &= 0x7f;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = littleEndian[31 - i];
        }
        var key = KeyFactory.getInstance("Ed25519").generatePublic(
                new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new java.math.BigInteger(1, bigEndian))));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(content.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(base64));
    }
}
