// A merchant backend calling Capsule's payments API with an RFC 9421 signed request, using capsule-core's signer.
//
//   java -cp capsule-core.jar:bcprov-jdk18on.jar MerchantClient.java METHOD URL KEY_ID KEY_FILE [JSON_CONTENT]
//   java -cp capsule-core.jar:bcprov-jdk18on.jar MerchantClient.java pay-sign APP_ID PREPAY_ID KEY_FILE
//
// KEY_FILE: the Ed25519 private key (PKCS#8 PEM, "-----BEGIN PRIVATE KEY-----") of an ed25519 merchant key, or the
// base64 secret of an hmac-sha256 merchant key. CAPSULE_CA_CERT (optional): a PEM certificate to trust, for a
// server with a private certificate. Prints the status and the response; exits 0 for a 2xx answer.
// docs/payments.md, "Signing requests", explains every line.
//
// pay-sign prints, as one line of JSON, what the mini-program passes to wx.requestPayment for an intent's prepay id:
// {timeStamp, nonceStr, package, signType, paySign} (docs/payments.md, "paySign and the prepay id"). It sends nothing.

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.HmacSha256HttpKey;
import dev.capsule.core.httpsig.HttpSigningKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class MerchantClient {
    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5 || (args[0].equals("pay-sign") && args.length != 4)) {
            System.err.println("usage: MerchantClient METHOD URL KEY_ID KEY_FILE [JSON_CONTENT]\n"
                    + "       MerchantClient pay-sign APP_ID PREPAY_ID KEY_FILE");
            System.exit(2);
        }
        String method = args[0];
        String keyText = Files.readString(Path.of(args[3])).strip();
        // The algorithm is the key's: Capsule refuses a signature whose alg differs from the key's.
        HttpSigningKey key = keyText.startsWith("-----BEGIN PRIVATE KEY-----")
                ? new Ed25519HttpKey.Signing(SigningKey.fromPem(keyText))
                : new HmacSha256HttpKey(Base64.getDecoder().decode(keyText));
        if (method.equals("pay-sign")) {
            // The answer is JSON built by hand: only an app id and a prepay id of the shapes Capsule issues go into it.
            if (!args[1].matches("[a-z0-9][a-z0-9.-]{0,127}") || !args[2].matches("prepay_[A-Za-z0-9]{1,64}")) {
                System.err.println("pay-sign: APP_ID must be a mini-program id (com.example.shop) and PREPAY_ID an intent's prepayId (prepay_…)");
                System.exit(2);
            }
            System.out.println(paySign(key, args[1], args[2]));
            return;
        }
        URI url = URI.create(args[1]);
        String keyId = args[2];
        byte[] content = args.length == 5 ? args[4].getBytes(StandardCharsets.UTF_8) : null;

        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<String> covered = new ArrayList<>(List.of("@method", "@target-uri"));
        if (content != null) {
            fields.put("Content-Type", List.of("application/json"));
            fields.put("Content-Digest", List.of(ContentDigest.sha256(content)));
            covered.add("content-digest");
            covered.add("content-type");
        }
        if (method.equals("POST")) {
            // Every POST needs an Idempotency-Key: reuse the same key (IDEMPOTENCY_KEY) to retry safely; signed like the rest.
            String idempotencyKey = System.getenv("IDEMPOTENCY_KEY");
            fields.put("Idempotency-Key", List.of(idempotencyKey != null ? idempotencyKey : java.util.UUID.randomUUID().toString()));
            covered.add("idempotency-key");
        }
        // A fresh nonce per request, a window of at most 300 s.
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        Instant created = Instant.now();
        SignatureParameters parameters = SignatureParameters.of(covered, created, created.plusSeconds(120),
                Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), key.algorithm(), keyId);
        MessageSignatures.Headers signature = MessageSignatures.sign(new SignedRequest(method, url, fields),
                MessageSignatures.DEFAULT_LABEL, parameters, key);

        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .method(method, content == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(content))
                .header(MessageSignatures.SIGNATURE_INPUT, signature.signatureInput())
                .header(MessageSignatures.SIGNATURE, signature.signature());
        fields.forEach((name, values) -> request.header(name, values.getFirst()));

        HttpClient.Builder client = HttpClient.newBuilder();
        String caCert = System.getenv("CAPSULE_CA_CERT");
        if (caCert != null && !caCert.isEmpty()) {
            client.sslContext(trusting(Path.of(caCert)));
        }
        HttpResponse<String> response = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode());
        System.out.println(response.body());
        System.exit(response.statusCode() / 100 == 2 ? 0 : 1);
    }

    /**
     * wx.requestPayment's parameters as one line of JSON: WeChat Pay v3 JSAPI's message (app id, timestamp, nonce and
     * package, each line ending with a line feed) signed with the merchant's key — the same key and signing as the
     * requests. The timestamp must be within 300 s of the server's clock when the user pays: sign just before.
     */
    static String paySign(HttpSigningKey key, String appId, String prepayId) {
        String timeStamp = Long.toString(Instant.now().getEpochSecond());
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String nonceStr = java.util.HexFormat.of().formatHex(random);
        String pkg = "prepay_id=" + prepayId;
        byte[] message = (appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + pkg + "\n").getBytes(StandardCharsets.UTF_8);
        String paySign = Base64.getEncoder().encodeToString(key.sign(message));
        String signType = key.algorithm().equals("ed25519") ? "ED25519" : "HMAC-SHA256";
        // Every value is ASCII without quotes or backslashes (digits, hex, a checked prepay id, base64): nothing to escape.
        return "{\"timeStamp\":\"" + timeStamp + "\",\"nonceStr\":\"" + nonceStr + "\",\"package\":\"" + pkg
                + "\",\"signType\":\"" + signType + "\",\"paySign\":\"" + paySign + "\"}";
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("capsule-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
