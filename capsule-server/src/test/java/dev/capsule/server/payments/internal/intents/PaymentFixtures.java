package dev.capsule.server.payments.internal.intents;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.access.Role;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** What the payment intent tests share: merchants, requests as a merchant, signed sheet requests, cards, wallet credits. */
final class PaymentFixtures {
    private static final SecureRandom RANDOM = new SecureRandom();

    final TestHttps https;
    final JdbcClient jdbc;
    final FieldEncryption encryption;
    final PaymentSheets sheets;
    final CardVault vault;

    /** The fixtures over the test context's beans (every payment intent test needs the same five). */
    PaymentFixtures(ApplicationContext context) {
        this(context.getBean(TestHttps.class), context.getBean(JdbcClient.class), context.getBean(FieldEncryption.class),
                context.getBean(PaymentSheets.class), context.getBean(CardVault.class));
    }

    private PaymentFixtures(TestHttps https, JdbcClient jdbc, FieldEncryption encryption, PaymentSheets sheets, CardVault vault) {
        this.https = https;
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.sheets = sheets;
        this.vault = vault;
    }

    /** A merchant of a fresh mini-program (its app is {@code apps[0]}). */
    Shop shop() {
        MiniProgramId app = MiniProgramId.of("com.example.shop" + letters(8));
        return new Shop(TestMerchants.create(jdbc, encryption, "Example Shop", app), app);
    }

    record Shop(TestMerchant merchant, MiniProgramId app) {
    }

    static String letters(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return text.toString();
    }

    static Payer payer() {
        return new Payer(new PayerId("user-" + UUID.randomUUID()), "pw-" + letters(12));
    }

    HttpResponse<String> post(Shop shop, String path, String body) {
        return post(shop, path, body, UUID.randomUUID().toString());
    }

    HttpResponse<String> post(Shop shop, String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = https.request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header(TestAuthentication.MERCHANT_HEADER, shop.merchant().testHeader());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return https.send(request.build());
    }

    HttpResponse<String> get(Shop shop, String path) {
        return https.get(path, TestAuthentication.MERCHANT_HEADER, shop.merchant().testHeader());
    }

    /** Creates an intent for {@code amount} CNY (extra JSON members in {@code more}, e.g. {@code "captureMethod":"manual"}). */
    JsonNode create(Shop shop, long amount, String more) {
        HttpResponse<String> response = post(shop, "/merchant/v1/payment-intents", "{\"amount\":" + amount
                + ",\"currency\":\"CNY\",\"appId\":\"" + shop.app().value() + "\",\"description\":\"Order 42\"" + more + "}");
        if (response.statusCode() != 201) {
            throw new AssertionError("create: " + response.statusCode() + " " + response.body());
        }
        return TestHttps.json(response);
    }

    /**
     * The types of the webhook messages the real outbox ({@code payments_webhook_message}, V98) holds for a merchant, in
     * the order they were queued: only committed changes leave a row, so this is what the merchant will be told.
     */
    static List<String> webhookTypes(JdbcClient jdbc, MerchantId merchant) {
        return jdbc.sql("SELECT type FROM payments_webhook_message WHERE merchant_id = :m ORDER BY created_at, message_id")
                .param("m", merchant.value()).query(String.class).list();
    }

    static PaymentIntentId id(JsonNode intent) {
        return new PaymentIntentId(intent.get("id").asString());
    }

    /** The sheet request the mini-program would pass, signed with the merchant's Ed25519 key now. */
    PaymentSheet.Request signedRequest(Shop shop, JsonNode intent) {
        return ed25519Request(shop.merchant().ed25519Private(), shop.app().value(), System.currentTimeMillis() / 1000, intent);
    }

    static PaymentSheet.Request ed25519Request(byte[] privateKey, String appId, long timeStamp, JsonNode intent) {
        String nonce = letters(16);
        String pkg = "prepay_id=" + intent.get("prepayId").asString();
        byte[] message = PaySign.message(appId, Long.toString(timeStamp), nonce, pkg);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
        signer.update(message, 0, message.length);
        return new PaymentSheet.Request(Long.toString(timeStamp), nonce, pkg, "ED25519", Base64.getEncoder().encodeToString(signer.generateSignature()));
    }

    static PaymentSheet.Request hmacRequest(byte[] secret, String appId, long timeStamp, JsonNode intent, String signType) {
        String nonce = letters(16);
        String pkg = "prepay_id=" + intent.get("prepayId").asString();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] tag = mac.doFinal(PaySign.message(appId, Long.toString(timeStamp), nonce, pkg));
            return new PaymentSheet.Request(Long.toString(timeStamp), nonce, pkg, signType, Base64.getEncoder().encodeToString(tag));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens the sheet for {@code payer} (binding the intent to them); fails the test unless it is ready. */
    PaymentSheets.Order prepare(Shop shop, Payer payer, JsonNode intent) {
        PaymentSheets.Prepared prepared = sheets.prepare(shop.app(), payer, signedRequest(shop, intent));
        if (!(prepared instanceof PaymentSheets.Prepared.Ready ready)) {
            throw new AssertionError("prepare: " + prepared);
        }
        return ready.order();
    }

    CardToken card(Shop shop, Payer payer, String number) {
        return vault.add(payer.id(), shop.merchant().id(), new CardDetails(CardNumber.parse(number), YearMonth.now().plusYears(2),
                "Test Holder", Optional.empty())).token();
    }

    /** Credits the payer's wallet through the wallet credits API as a platform admin. */
    HttpResponse<String> credit(Payer payer, long amount, String currency) {
        return https.send(https.request("/api/v1/wallet-credits")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + payer.id().value() + "\",\"amount\":" + amount
                        + ",\"currency\":\"" + currency + "\"}", StandardCharsets.UTF_8))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header(TestAuthentication.USER_HEADER, "funder").header(TestAuthentication.ROLES_HEADER, Role.PLATFORM_ADMIN.name())
                .build());
    }
}
