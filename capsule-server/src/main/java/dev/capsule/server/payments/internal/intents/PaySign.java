package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.internal.merchants.MerchantKey;
import dev.capsule.server.payments.internal.merchants.MerchantSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The {@code paySign} of {@code wx.requestPayment} (WeChat Pay v3 JSAPI's message; docs/payments.md "paySign"): the
 * UTF-8 of {@code appId\ntimeStamp\nnonceStr\npackage\n}, signed by the merchant with one of its active keys.
 *
 * <p>Security guarantees: {@code signType} only selects which of the merchant's keys are tried — those whose pinned
 * algorithm it names ({@code ED25519}: Ed25519 keys, {@code HMAC-SHA256}: HMAC keys); a signature is never checked
 * with another algorithm than its key's; the app id in the message is the calling mini-program's (from the host),
 * never the request's; the timestamp must be within {@value #SKEW_SECONDS_MAX} s of the server clock; malformed
 * fields are refused before any key is used; HMAC tags are compared in constant time.
 */
final class PaySign {
    /** Largest difference between {@code timeStamp} and the server clock, in seconds. */
    static final long SKEW_SECONDS_MAX = 300;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    /** Longest paySign read (an Ed25519 signature is 88 base64 characters, an HMAC-SHA256 tag 44). */
    static final int PAY_SIGN_CHARS_MAX = 128;

    private PaySign() {
    }

    /** Why a paySign was refused, for the audit detail. */
    enum Refusal {
        MALFORMED, STALE, SIGN_TYPE, NO_KEY, MISMATCH
    }

    /**
     * Empty when {@code paySign} verifies under one of {@code keys} of the algorithm {@code signType} names; else why not.
     */
    static Optional<Refusal> check(List<MerchantKey> keys, String appId, String timeStamp, String nonceStr, String packageValue,
            String signType, String paySign, Instant now) {
        if (timeStamp == null || nonceStr == null || packageValue == null || signType == null || paySign == null
                || !TIMESTAMP.matcher(timeStamp).matches() || !NONCE.matcher(nonceStr).matches() || paySign.length() > PAY_SIGN_CHARS_MAX) {
            return Optional.of(Refusal.MALFORMED);
        }
        if (Math.abs(Long.parseLong(timeStamp) - now.getEpochSecond()) > SKEW_SECONDS_MAX) {
            return Optional.of(Refusal.STALE);
        }
        String algorithm = switch (signType) {
            case "ED25519" -> "ed25519";
            case "HMAC-SHA256" -> "hmac-sha256";
            default -> null;
        };
        if (algorithm == null) {
            return Optional.of(Refusal.SIGN_TYPE);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(paySign);
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.MALFORMED);
        }
        byte[] message = message(appId, timeStamp, nonceStr, packageValue);
        List<MerchantKey> candidates = keys.stream().filter(key -> key.algorithm().equals(algorithm)).toList();
        if (candidates.isEmpty()) {
            return Optional.of(Refusal.NO_KEY);
        }
        for (MerchantKey key : candidates) {
            if (verifies(key, message, signature)) {
                return Optional.empty();
            }
        }
        return Optional.of(Refusal.MISMATCH);
    }

    /** The signed message: WeChat Pay v3 JSAPI's four lines, each ending with a line feed. */
    static byte[] message(String appId, String timeStamp, String nonceStr, String packageValue) {
        return (appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + packageValue + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean verifies(MerchantKey key, byte[] message, byte[] signature) {
        return switch (key) {
            case MerchantKey.Ed25519 ed -> {
                if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
                    yield false;
                }
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, new Ed25519PublicKeyParameters(ed.publicKey(), 0));
                verifier.update(message, 0, message.length);
                yield verifier.verifySignature(signature);
            }
            case MerchantKey.HmacSha256 hmac -> {
                MerchantSecret secret = hmac.secret();
                byte[] bytes = secret.bytes();
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
                    yield MessageDigest.isEqual(mac.doFinal(message), signature);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
                } finally {
                    java.util.Arrays.fill(bytes, (byte) 0);
                }
            }
        };
    }
}
