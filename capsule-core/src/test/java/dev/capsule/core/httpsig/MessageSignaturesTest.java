package dev.capsule.core.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageSignaturesTest {
    private static final SigningKey KEY = SigningKey.generate();
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    private static SignedRequest request(String uri, Map<String, List<String>> fields) {
        return new SignedRequest("POST", URI.create(uri), fields);
    }

    @Test
    void aSignatureWithTargetUriNonceAndDigestRoundTripsAndKeepsItsParameterOrder() throws Exception {
        byte[] body = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);
        SignedRequest request = request("https://pay.example:8443/merchant/v1/x?a=1",
                Map.of("Content-Digest", List.of(ContentDigest.sha256(body))));
        SignatureParameters parameters = SignatureParameters.of(List.of("@method", "@target-uri", "content-digest"),
                NOW, NOW.plusSeconds(300), "n-1", "ed25519", "mk_1");
        MessageSignatures.Headers headers = MessageSignatures.sign(request, "sig1", parameters, new Ed25519HttpKey.Signing(KEY));

        assertThat(headers.signatureInput()).isEqualTo("sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=1700000000"
                + ";expires=1700000300;nonce=\"n-1\";alg=\"ed25519\";keyid=\"mk_1\"");
        MessageSignatures.Received received = MessageSignatures.parse(headers.signatureInput(), headers.signature());
        assertThat(received.parameters()).isEqualTo(parameters);
        assertThat(SignatureBase.of(request, parameters)).startsWith("\"@method\": POST\n\"@target-uri\": https://pay.example:8443/merchant/v1/x?a=1\n");
        assertThat(MessageSignatures.verify(request, received, new Ed25519HttpKey.Verifying(KEY.publicKey()))).isTrue();
    }

    @Test
    void theTargetUriIsNormalizedAlikeOnBothSides() {
        SignedRequest upper = request("HTTPS://Pay.Example:443/merchant/v1/x", Map.of());
        assertThat(upper.normalizedTargetUri()).isEqualTo("https://pay.example/merchant/v1/x");
        assertThat(request("https://pay.example", Map.of()).normalizedTargetUri()).isEqualTo("https://pay.example/");
        assertThat(request("https://pay.example/a%2Fb?q=%20", Map.of()).normalizedTargetUri()).isEqualTo("https://pay.example/a%2Fb?q=%20");
    }

    @Test
    void aCoveredFieldTheRequestLacksIsRefusedNotTreatedAsEmpty() {
        SignatureParameters parameters = SignatureParameters.of(List.of("@method", "content-digest"), NOW, null, null, null, "k");
        assertThatThrownBy(() -> SignatureBase.of(request("https://a.example/", Map.of()), parameters))
                .isInstanceOfSatisfying(HttpSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpSignatureException.Reason.COMPONENT_ABSENT));
    }

    @Test
    void aFieldValueWithALineBreakCannotForgeALineOfTheBase() {
        SignatureParameters parameters = SignatureParameters.of(List.of("x-note"), NOW, null, null, null, "k");
        SignedRequest request = request("https://a.example/", Map.of("X-Note", List.of("a\n\"@method\": GET")));
        assertThatThrownBy(() -> SignatureBase.of(request, parameters))
                .isInstanceOfSatisfying(HttpSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpSignatureException.Reason.MALFORMED));
    }

    @Test
    void unsupportedComponentsAndComponentParametersAreRefused() throws Exception {
        assertThatThrownBy(() -> MessageSignatures.parse("sig1=(\"content-type\";sf);created=1;keyid=\"k\"", "sig1=:AAAA:"))
                .isInstanceOfSatisfying(HttpSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpSignatureException.Reason.UNSUPPORTED_COMPONENT));
        MessageSignatures.Received status = MessageSignatures.parse("sig1=(\"@status\");created=1;keyid=\"k\"", "sig1=:AAAA:");
        assertThatThrownBy(() -> SignatureBase.of(request("https://a.example/", Map.of()), status.parameters()))
                .isInstanceOfSatisfying(HttpSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(HttpSignatureException.Reason.UNSUPPORTED_COMPONENT));
    }

    @Test
    void malformedOrAmbiguousSignatureFieldsAreRefused() {
        for (String[] fields : new String[][] {
                {"sig1=(\"@method\");created=1", "sig2=:AAAA:"},
                {"sig1=(\"@method\"), sig2=(\"@method\")", "sig1=:AAAA:, sig2=:AAAA:"},
                {"sig1=(\"@method\" \"@method\");created=1", "sig1=:AAAA:"},
                {"sig1=(\"@method\");created=1.5", "sig1=:AAAA:"},
                {"sig1=(\"@method\");created=\"1\"", "sig1=:AAAA:"},
                {"sig1=(\"@method\";created=1", "sig1=:AAAA:"},
                {"sig1=(\"@method\");created=1", "sig1=\"AAAA\""},
                {"sig1=(\"@method\");created=1", "sig1=:A*AA:"},
                {"sig1=(\"@method\");created=1,", "sig1=:AAAA:"},
                {"", "sig1=:AAAA:"},
                {null, "sig1=:AAAA:"}}) {
            assertThatThrownBy(() -> MessageSignatures.parse(fields[0], fields[1])).as(String.join(" | ", String.valueOf(fields[0]), fields[1]))
                    .isInstanceOfSatisfying(HttpSignatureException.class,
                            e -> assertThat(e.reason()).isEqualTo(HttpSignatureException.Reason.MALFORMED));
        }
    }

    @Test
    void aContentDigestMatchesOnlyWhenEverySupportedDigestMatches() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String right = ContentDigest.sha256(body);
        String wrong = ContentDigest.sha256("{ }".getBytes(StandardCharsets.UTF_8));
        assertThat(ContentDigest.check(right, body)).isEqualTo(ContentDigest.Check.MATCHES);
        assertThat(ContentDigest.check(wrong, body)).isEqualTo(ContentDigest.Check.MISMATCH);
        assertThat(ContentDigest.check(right + ", " + ContentDigest.of("sha-512", "x".getBytes(StandardCharsets.UTF_8)), body))
                .isEqualTo(ContentDigest.Check.MISMATCH);
        assertThat(ContentDigest.check("md5=:AAAA:", body)).isEqualTo(ContentDigest.Check.NO_SUPPORTED_ALGORITHM);
        assertThat(ContentDigest.check("sha-256=AAAA", body)).isEqualTo(ContentDigest.Check.MALFORMED);
        assertThat(ContentDigest.check(null, body)).isEqualTo(ContentDigest.Check.MALFORMED);
    }

    @Test
    void hmacKeysRedactTheirSecret() {
        assertThat(new HmacSha256HttpKey(new byte[32]).toString()).doesNotContain("AAAA").contains("redacted");
    }
}
