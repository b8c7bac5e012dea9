package dev.capsule.server.payments.internal.signatures;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HmacSha256HttpKey;
import dev.capsule.core.httpsig.HttpSigningKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test-side signing of merchant requests with core's signer, every choice open to a test: the key, the keyid, the
 * time window, the nonce, the alg parameter, the covered components.
 */
public record SignedRequests(String keyid, HttpSigningKey key, Instant created, Instant expires, String nonce, String alg,
        List<String> components) {
    static final List<String> WITH_CONTENT = List.of("@method", "@target-uri", "content-digest", "content-type");
    static final List<String> WITHOUT_CONTENT = List.of("@method", "@target-uri");

    public static SignedRequests ed25519(TestMerchant merchant) {
        try {
            return of(merchant.ed25519Key().value(), new Ed25519HttpKey.Signing(SigningKey.fromSeed(merchant.ed25519Private())));
        } catch (dev.capsule.core.crypto.KeyFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    static SignedRequests hmac(TestMerchant merchant) {
        return of(merchant.hmacKey().value(), new HmacSha256HttpKey(merchant.hmacSecret()));
    }

    static SignedRequests of(String keyid, HttpSigningKey key) {
        Instant now = Instant.now();
        return new SignedRequests(keyid, key, now, now.plusSeconds(120), UUID.randomUUID().toString(), null, null);
    }

    SignedRequests keyid(String other) {
        return new SignedRequests(other, key, created, expires, nonce, alg, components);
    }

    SignedRequests key(HttpSigningKey other) {
        return new SignedRequests(keyid, other, created, expires, nonce, alg, components);
    }

    SignedRequests window(Duration fromNow, Duration length) {
        Instant start = Instant.now().plus(fromNow);
        return new SignedRequests(keyid, key, start, start.plus(length), nonce, alg, components);
    }

    SignedRequests nonce(String other) {
        return new SignedRequests(keyid, key, created, expires, other, alg, components);
    }

    SignedRequests alg(String other) {
        return new SignedRequests(keyid, key, created, expires, nonce, other, components);
    }

    SignedRequests components(String... covered) {
        return new SignedRequests(keyid, key, created, expires, nonce, alg, List.of(covered));
    }

    /** A signed request to {@code uri} with {@code content} (none when null). */
    public HttpRequest request(String method, URI uri, String content) {
        return request(method, uri, content, content);
    }

    /** Signed over {@code signedContent}'s digest but sending {@code sentContent}: a content changed in transit. */
    HttpRequest request(String method, URI uri, String signedContent, String sentContent) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (signedContent != null) {
            fields.put("Content-Type", List.of("application/json"));
            fields.put("Content-Digest", List.of(ContentDigest.sha256(signedContent.getBytes(StandardCharsets.UTF_8))));
        }
        List<String> covered = components != null ? components : signedContent != null ? WITH_CONTENT : WITHOUT_CONTENT;
        try {
            MessageSignatures.Headers headers = MessageSignatures.sign(new SignedRequest(method, uri, fields), "sig1",
                    SignatureParameters.of(covered, created, expires, nonce, alg, keyid), key);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .method(method, sentContent == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(sentContent, StandardCharsets.UTF_8))
                    .header(MessageSignatures.SIGNATURE_INPUT, headers.signatureInput())
                    .header(MessageSignatures.SIGNATURE, headers.signature());
            fields.forEach((name, values) -> builder.header(name, values.get(0)));
            return builder.build();
        } catch (dev.capsule.core.httpsig.HttpSignatureException e) {
            throw new IllegalStateException(e);
        }
    }
}
