package dev.capsule.testing.server;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.payments.internal.merchants.MerchantKey;
import dev.capsule.server.registry.MiniProgramId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Merchants for tests, written straight into the merchants tables (V92) the way registration stores them: an enabled
 * merchant for the given mini-programs with one Ed25519 key and one HMAC-SHA256 key. Tests sign with the returned
 * private material; {@link #testHeader} is the {@link TestAuthentication#MERCHANT_HEADER} value.
 */
public final class TestMerchants {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestMerchants() {
    }

    /**
     * @param ed25519Private the RFC 8032 private key (32 bytes) of {@code ed25519Key}
     * @param hmacSecret     the 32-byte secret of {@code hmacKey}
     */
    public record TestMerchant(MerchantId id, String name, MerchantKeyId ed25519Key, byte[] ed25519Private, byte[] ed25519Public,
            MerchantKeyId hmacKey, byte[] hmacSecret) {
        public String testHeader() {
            return id.value() + ":" + ed25519Key.value();
        }

        /**
         * What the merchant's backend hands its mini-program for {@code wx.requestPayment} (docs/payments.md, "paySign
         * and the prepay id"), signed now: paySign is the Ed25519 signature of
         * {@code appId\ntimeStamp\nnonceStr\npackage\n} over {@code appId} (another app's id makes a forged one).
         */
        public Map<String, String> requestPayment(String appId, String prepayId) {
            String timeStamp = Long.toString(Instant.now().getEpochSecond());
            String nonceStr = "n" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
            String pkg = "prepay_id=" + prepayId;
            byte[] message = (appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + pkg + "\n").getBytes(StandardCharsets.UTF_8);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(ed25519Private, 0));
            signer.update(message, 0, message.length);
            Map<String, String> order = new LinkedHashMap<>();
            order.put("timeStamp", timeStamp);
            order.put("nonceStr", nonceStr);
            order.put("package", pkg);
            order.put("signType", "ED25519");
            order.put("paySign", Base64.getEncoder().encodeToString(signer.generateSignature()));
            return order;
        }
    }

    public static TestMerchant create(JdbcClient jdbc, FieldEncryption encryption, String name, MiniProgramId... apps) {
        MerchantId id = MerchantId.random();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("INSERT INTO payments_merchant (merchant_id, organisation_id, verified_name, enabled, created_by, created_at) "
                        + "VALUES (:id, :org, :name, true, 'test', :now)")
                .param("id", id.value()).param("org", UUID.randomUUID()).param("name", name).param("now", now).update();
        for (MiniProgramId app : apps) {
            jdbc.sql("INSERT INTO payments_merchant_app (app_id, merchant_id) VALUES (:app, :id)")
                    .param("app", app.value()).param("id", id.value()).update();
        }
        Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(RANDOM);
        byte[] publicKey = privateKey.generatePublicKey().getEncoded();
        MerchantKeyId edKey = MerchantKeyId.random();
        jdbc.sql("INSERT INTO payments_merchant_key (key_id, merchant_id, algorithm, public_key, added_by, added_at) "
                        + "VALUES (:key, :id, 'ed25519', :pub, 'test', :now)")
                .param("key", edKey.value()).param("id", id.value()).param("pub", publicKey).param("now", now).update();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        MerchantKeyId hmacKey = MerchantKeyId.random();
        jdbc.sql("INSERT INTO payments_merchant_key (key_id, merchant_id, algorithm, secret_sealed, added_by, added_at) "
                        + "VALUES (:key, :id, 'hmac-sha256', :sealed, 'test', :now)")
                .param("key", hmacKey.value()).param("id", id.value())
                .param("sealed", encryption.seal(DataPurpose.MERCHANT_SECRETS, secret, MerchantKey.secretPlace(hmacKey)))
                .param("now", now).update();
        return new TestMerchant(id, name, edKey, privateKey.getEncoded(), publicKey, hmacKey, secret);
    }
}
