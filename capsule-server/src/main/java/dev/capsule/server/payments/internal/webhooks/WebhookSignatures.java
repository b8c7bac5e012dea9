package dev.capsule.server.payments.internal.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Standard Webhooks signatures: the signed content is {@code msg_id + "." + timestamp + "." + body} (UTF-8 of the id
 * and the decimal Unix seconds, then the body's exact bytes); {@code v1,} + base64(HMAC-SHA256(secret, content)) and
 * {@code v1a,} + base64(Ed25519(private key, content)); the {@code webhook-signature} header lists one signature per
 * valid key version and scheme, space-separated, so a receiver holding either the old or the new secret verifies during
 * a rotation.
 *
 * <p>Security guarantees: the message id and timestamp are checked to hold no {@code .} or space (the spec: they must
 * not be attacker-controlled, or at least not contain the delimiter), so the signed content is unambiguous; the HMAC is
 * the JDK's, Ed25519 Bouncy Castle's (no hand-rolled crypto).
 */
public final class WebhookSignatures {
    /** Header names, exactly as the spec writes them. */
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private WebhookSignatures() {
    }

    /** {@code v1,<base64 HMAC-SHA256>} of one message under one secret. */
    public static String v1(byte[] secret, String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(content(messageId, timestampSeconds, body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** {@code v1a,<base64 Ed25519 signature>} of one message under one private key. */
    public static String v1a(byte[] ed25519Private, String messageId, long timestampSeconds, byte[] body) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(ed25519Private));
        byte[] content = content(messageId, timestampSeconds, body);
        signer.update(content, 0, content.length);
        return "v1a," + Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /** The {@code webhook-signature} value: every key's {@code v1} signature, then every key's {@code v1a}. */
    public static String header(List<WebhookSigningKey> keys, String messageId, long timestampSeconds, byte[] body) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("an endpoint without a valid signing key cannot be sent to");
        }
        List<String> signatures = new ArrayList<>();
        for (WebhookSigningKey key : keys) {
            signatures.add(v1(key.hmacSecret(), messageId, timestampSeconds, body));
        }
        for (WebhookSigningKey key : keys) {
            signatures.add(v1a(key.ed25519Private(), messageId, timestampSeconds, body));
        }
        return String.join(" ", signatures);
    }

    private static byte[] content(String messageId, long timestampSeconds, byte[] body) {
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("a webhook message id is 1-64 of [A-Za-z0-9_-]");
        }
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("a webhook timestamp is non-negative Unix seconds");
        }
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }
}
