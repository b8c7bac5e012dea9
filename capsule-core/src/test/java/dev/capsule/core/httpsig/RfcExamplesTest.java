package dev.capsule.core.httpsig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The RFCs' own examples (src/test/resources/httpsig/rfc-examples.json cites the sections). */
class RfcExamplesTest {
    private static final JsonNode EXAMPLES = load();
    private static final JsonNode RFC9421 = EXAMPLES.get("rfc9421");

    private static JsonNode load() {
        try (InputStream in = RfcExamplesTest.class.getResourceAsStream("/httpsig/rfc-examples.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static SignedRequest testRequest() {
        JsonNode request = RFC9421.get("B.2 test-request");
        Map<String, List<String>> fields = new LinkedHashMap<>();
        request.get("fields").properties().forEach(e -> fields.put(e.getKey(), List.of(e.getValue().asString())));
        return new SignedRequest(request.get("method").asString(), URI.create(request.get("targetUri").asString()), fields);
    }

    private static HmacSha256HttpKey sharedSecret() {
        return new HmacSha256HttpKey(Base64.getDecoder().decode(RFC9421.get("B.1.5 test-shared-secret").get("secretBase64").asString()));
    }

    private static SigningKey ed25519() throws Exception {
        return SigningKey.fromPem(RFC9421.get("B.1.4 test-key-ed25519").get("privateKeyPem").asString());
    }

    private static String text(String example, String field) {
        return RFC9421.get(example).get(field).asString();
    }

    @Test
    void b25HmacSha256SignatureBaseAndSignatureAreTheRfcs() throws Exception {
        MessageSignatures.Received received = MessageSignatures.parse(text("B.2.5", "signatureInput"), text("B.2.5", "signature"));
        assertThat(SignatureBase.of(testRequest(), received.parameters())).isEqualTo(text("B.2.5", "signatureBase"));

        MessageSignatures.Headers signed = MessageSignatures.sign(testRequest(), "sig-b25", received.parameters(), sharedSecret());
        assertThat(signed.signatureInput()).isEqualTo(text("B.2.5", "signatureInput"));
        assertThat(signed.signature()).isEqualTo(text("B.2.5", "signature"));
        assertThat(MessageSignatures.verify(testRequest(), received, sharedSecret())).isTrue();
    }

    @Test
    void b26Ed25519SignatureBaseAndDeterministicSignatureAreTheRfcs() throws Exception {
        MessageSignatures.Received received = MessageSignatures.parse(text("B.2.6", "signatureInput"), text("B.2.6", "signature"));
        assertThat(SignatureBase.of(testRequest(), received.parameters())).isEqualTo(text("B.2.6", "signatureBase"));

        MessageSignatures.Headers signed = MessageSignatures.sign(testRequest(), "sig-b26", received.parameters(),
                new Ed25519HttpKey.Signing(ed25519()));
        assertThat(signed.signatureInput()).isEqualTo(text("B.2.6", "signatureInput"));
        assertThat(signed.signature()).isEqualTo(text("B.2.6", "signature"));
        VerifyingKey publicKey = VerifyingKey.fromPem(text("B.1.4 test-key-ed25519", "publicKeyPem"));
        assertThat(ed25519().publicKey()).isEqualTo(publicKey);
        assertThat(MessageSignatures.verify(testRequest(), received, new Ed25519HttpKey.Verifying(publicKey))).isTrue();
    }

    @Test
    void theRfcSignaturesFailForAnyChangeOfTheCoveredMessageOrKey() throws Exception {
        MessageSignatures.Received hmac = MessageSignatures.parse(text("B.2.5", "signatureInput"), text("B.2.5", "signature"));
        MessageSignatures.Received ed = MessageSignatures.parse(text("B.2.6", "signatureInput"), text("B.2.6", "signature"));
        Map<String, List<String>> fields = new LinkedHashMap<>(testRequest().fields());
        fields.put("Content-Type", List.of("text/plain"));
        SignedRequest changed = new SignedRequest("POST", testRequest().targetUri(), fields);
        VerifyingKey publicKey = VerifyingKey.fromPem(text("B.1.4 test-key-ed25519", "publicKeyPem"));

        assertThat(MessageSignatures.verify(changed, hmac, sharedSecret())).isFalse();
        assertThat(MessageSignatures.verify(changed, ed, new Ed25519HttpKey.Verifying(publicKey))).isFalse();
        SignedRequest otherPath = new SignedRequest("POST", URI.create("https://example.com/bar"), testRequest().fields());
        assertThat(MessageSignatures.verify(otherPath, ed, new Ed25519HttpKey.Verifying(publicKey))).isFalse();
        assertThat(MessageSignatures.verify(testRequest(), hmac, new HmacSha256HttpKey(new byte[64]))).isFalse();
        assertThat(MessageSignatures.verify(testRequest(), ed, new Ed25519HttpKey.Verifying(SigningKey.generate().publicKey()))).isFalse();
    }

    @Test
    void contentDigestsAreTheRfcs() {
        EXAMPLES.get("rfc9530").properties().forEach(example -> {
            byte[] content = example.getValue().get("content").asString().getBytes(StandardCharsets.UTF_8);
            String field = example.getValue().get("contentDigest").asString();
            String algorithm = field.substring(0, field.indexOf('='));
            assertThat(ContentDigest.of(algorithm, content)).as(example.getKey()).isEqualTo(field);
            assertThat(ContentDigest.check(field, content)).as(example.getKey()).isEqualTo(ContentDigest.Check.MATCHES);
        });
        byte[] requestContent = RFC9421.get("B.2 test-request").get("content").asString().getBytes(StandardCharsets.UTF_8);
        assertThat(ContentDigest.check(testRequest().field("content-digest"), requestContent)).isEqualTo(ContentDigest.Check.MATCHES);
    }
}
