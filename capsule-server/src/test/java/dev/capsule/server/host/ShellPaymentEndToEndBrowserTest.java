package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.ContentDigest;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.server.access.Role;
import dev.capsule.server.host.internal.ShellTestBeans;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Taking a payment end to end through the real server, nothing standing in (the {@code @CapsuleServerTest}
 * context with the host's session tests' settings — sessions in-process, since no property here is about worker
 * processes; {@code ShellTestBeans}' header sign-in and fixture source are unused — HTTPS, PostgreSQL, the registry,
 * the payments module with its vault, test acquirer, ledger and webhook outbox): a merchant's backend creates payment intents over HTTPS with a
 * real RFC 9421 signature (capsule-core's signer, as docs/payments.md's Java example) and signs paySign as the docs
 * say; the released mini-program (the fixture {@code host/pay}) passes those values to {@code wx.requestPayment}; in
 * Chromium the user pays in the shell's sheet with a new card (entered in the sheet, saved through
 * {@code POST /shell/cards}); the merchant then reads the intent as {@code succeeded}, the mini-program saw only
 * {@code requestPayment:ok}, the outbox holds {@code payment_intent.succeeded} and the ledger verifies. A forged
 * paySign never opens the sheet, pays nothing, and the mini-program gets {@code fail} with the refusal code. (A second
 * payment in the same session, by wallet, did not reach the mini-program in the browser: open, see docs/payments.md;
 * wallet payments through the real {@code PaymentSheets} are proved by {@code ConcurrentConfirmationTest}.)
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.sessions-per-node-max=64"})
class ShellPaymentEndToEndBrowserTest {
    static final String ROUTE = "pages/index/index";
    /**
     * The test acquirer's approving card. Its 3DS-style challenge card (4000 0000 0000 3220) cannot be used here yet:
     * saving a card verifies it with the acquirer, which refuses a card whose issuer asks for authentication ("pay
     * with the card instead"), and the sheet can pay a new card only by saving it first. The issuer's challenge in
     * the sheet is covered by HostPaymentSheetTest and ShellPromptsBrowserTest.
     */
    static final String NEW_CARD = "4242 4242 4242 4242";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired TestHttps https;
    @Autowired ApplicationContext spring;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption fieldEncryption;
    @Autowired Ledger ledger;

    @Test
    void aUserPaysASignedMerchantsIntentByCardInTheSheetAndTheMerchantSeesItSucceeded() throws Exception {
        String user = "payer-" + System.nanoTime();
        Map<String, JsonNode> intents = new LinkedHashMap<>();
        TestMerchant[] merchant = new TestMerchant[1];
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer developer = shell.released("financial", appId -> { // the financial preset grants the payment APIs
                merchant[0] = TestMerchants.create(jdbc, fieldEncryption, "Fresh Fruit Ltd", new MiniProgramId(appId));
                intents.put("card", created(merchant[0], appId, 1234, "3 apples"));
                intents.put("wallet", created(merchant[0], appId, 2500, "A basket of pears"));
                ObjectNode orders = ShellBrowser.JSON.createObjectNode();
                orders.set("card", order(merchant[0], appId, intents.get("card")));
                orders.set("wallet", order(merchant[0], appId, intents.get("wallet")));
                ObjectNode forged = order(merchant[0], appId, intents.get("wallet"));
                forged.put("paySign", order(merchant[0], "com.example.other", intents.get("wallet")).get("paySign").asString());
                orders.set("forged", forged);
                return fixture(orders.toString());
            });
            HttpResponse<String> credited = credit(user, 5000, "EUR");
            assertThat(credited.statusCode()).as(credited.body()).isEqualTo(201);

            shell.enter(user);
            shell.open(developer.appId(), ROUTE);
            shell.waitForGuestText("result none");
            int messagesBefore = succeededMessages(merchant[0]);

            // A paySign over another app id: refused before the sheet, the mini-program gets the code.
            int refusals = refusals();
            shell.click(shell.guestRectOfText("Pay forged"));
            shell.waitFor("window.__shadow.lastElementChild.textContent.includes('requestPayment:fail signature')");
            assertThat(shell.page.querySelector(".capsule-sheet-payment")).as("the sheet never opened").isNull();
            assertThat(shell.guestText()).isEqualTo(ReleasedShell.compact("Pay by card Pay by wallet Pay forged result fail "
                    + "{\"errMsg\":\"requestPayment:fail signature\"}"));
            assertThat(refusals()).as("the refusal is audited").isEqualTo(refusals + 1);
            assertThat(status(merchant[0], intents.get("wallet"))).isEqualTo("requires_payment_method");

            // A new card, saved through the card endpoint from the sheet.
            shell.click(shell.guestRectOfText("Pay by card"));
            shell.page.waitForSelector(".capsule-sheet-payment");
            assertThat(shell.page.textContent(".capsule-sheet-payment .capsule-sheet-title")).isEqualTo("Pay Fresh Fruit Ltd");
            assertThat(shell.page.textContent(".capsule-payment-amount")).isEqualTo("€12.34");
            assertThat(shell.page.textContent(".capsule-payment-description")).isEqualTo("3 apples");
            shell.page.click(".capsule-payment-add-card");
            shell.page.fill(".capsule-card-number", NEW_CARD);
            shell.page.fill(".capsule-card-expiry", "12/34");
            shell.page.fill(".capsule-card-code", "123");
            shell.page.fill(".capsule-card-name", "Ada Lovelace");
            shell.page.click(".capsule-card-save");
            shell.page.waitForFunction("() => document.querySelector(\".capsule-payment-card[aria-checked='true']\")"
                    + " || document.querySelector('.capsule-payment-error').textContent !== ''");
            assertThat(shell.page.textContent(".capsule-payment-error")).as("the card endpoint's answer").isEmpty();
            assertThat(shell.page.textContent(".capsule-payment-card[aria-checked='true']")).isEqualTo("Visa •••• 4242");
            shell.page.click(".capsule-pay");
            shell.waitForGuestText("requestPayment:ok");
            // The shell's own toast (the forged attempt's "Payment not completed (signature)" may still be shown).
            shell.page.waitForSelector(".capsule-payment-result >> text=Paid");
            assertThat(shell.guestText()).as("the mini-program saw only the outcome")
                    .endsWith(ReleasedShell.compact("result ok {\"errMsg\":\"requestPayment:ok\"}"));

            // The merchant learns the outcome from the API, never from the client.
            assertThat(status(merchant[0], intents.get("card"))).isEqualTo("succeeded");
            assertThat(status(merchant[0], intents.get("wallet"))).as("the forged request paid nothing").isEqualTo("requires_payment_method");
            assertThat(TestHttps.json(get(merchant[0], "/merchant/v1/payment-intents/" + intents.get("card").get("id").asString()))
                    .get("amountReceived").asLong()).isEqualTo(1234);
            assertThat(succeededMessages(merchant[0])).as("payment_intent.succeeded for each, in the outbox").isEqualTo(messagesBefore + 1);
            for (JsonNode intent : List.of(intents.get("card"))) {
                assertThat(jdbc.sql("SELECT count(*) FROM payments_webhook_message WHERE merchant_id = :m AND type = 'payment_intent.succeeded' "
                                + "AND convert_from(body, 'UTF8') LIKE :id")
                        .param("m", merchant[0].id().value()).param("id", "%" + intent.get("id").asString() + "%").query(Long.class).single())
                        .isEqualTo(1);
            }
            assertThat(ledger.verify().problems()).as("the ledger verifies").isEmpty();

            // The wallet page, with the balance left and the saved card.
            shell.page.navigate(https.uri("/shell/wallet").toString());
            assertThat(shell.page.textContent("main")).contains("50.00").contains("4242").contains("Fresh Fruit Ltd");
            shell.screenshot("shell-wallet.png");
            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    /** The mini-program: examples/todo with the fixture's page, the merchant's orders written in. */
    private static Map<String, String> fixture(String orders) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : List.of("index.js", "index.json", "index.wxml")) {
            try (InputStream in = ShellPaymentEndToEndBrowserTest.class.getResourceAsStream("/host/pay/pages/index/" + name)) {
                files.put("pages/index/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__ORDERS__", orders));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    /** The merchant's backend: {@code POST /merchant/v1/payment-intents}, signed (RFC 9421) with its Ed25519 key. */
    private JsonNode created(TestMerchant merchant, String appId, long amount, String description) {
        String body = "{\"amount\":" + amount + ",\"currency\":\"EUR\",\"appId\":\"" + appId + "\",\"description\":\"" + description + "\"}";
        HttpResponse<String> created = https.send(signed(merchant, "POST", "/merchant/v1/payment-intents", body)
                .header("Idempotency-Key", UUID.randomUUID().toString()).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttps.json(created);
    }

    private HttpResponse<String> get(TestMerchant merchant, String path) {
        HttpResponse<String> response = https.send(signed(merchant, "GET", path, null).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private String status(TestMerchant merchant, JsonNode intent) {
        return TestHttps.json(get(merchant, "/merchant/v1/payment-intents/" + intent.get("id").asString())).get("status").asString();
    }

    /** Signs as docs/payments.md's Java example does: core's signer, a fresh nonce, a 120 s window. */
    private HttpRequest.Builder signed(TestMerchant merchant, String method, String path, String content) {
        URI uri = https.uri(path);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<String> covered = new java.util.ArrayList<>(List.of("@method", "@target-uri"));
        if (content != null) {
            fields.put("Content-Type", List.of("application/json"));
            fields.put("Content-Digest", List.of(ContentDigest.sha256(content.getBytes(StandardCharsets.UTF_8))));
            covered.addAll(List.of("content-digest", "content-type"));
        }
        try {
            var key = new Ed25519HttpKey.Signing(SigningKey.fromSeed(merchant.ed25519Private()));
            Instant created = Instant.now();
            MessageSignatures.Headers signature = MessageSignatures.sign(new SignedRequest(method, uri, fields), MessageSignatures.DEFAULT_LABEL,
                    SignatureParameters.of(covered, created, created.plusSeconds(120), UUID.randomUUID().toString(), key.algorithm(),
                            merchant.ed25519Key().value()), key);
            HttpRequest.Builder request = https.request(path)
                    .method(method, content == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(content))
                    .header(MessageSignatures.SIGNATURE_INPUT, signature.signatureInput())
                    .header(MessageSignatures.SIGNATURE, signature.signature());
            fields.forEach((name, values) -> request.header(name, values.getFirst()));
            return request;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the merchant's backend hands its mini-program (docs/payments.md, "paySign and the prepay id"): paySign is
     * the Ed25519 signature of {@code appId\ntimeStamp\nnonceStr\npackage\n}.
     */
    private static ObjectNode order(TestMerchant merchant, String appId, JsonNode intent) {
        String timeStamp = Long.toString(Instant.now().getEpochSecond());
        String nonceStr = "n" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        String pkg = "prepay_id=" + intent.get("prepayId").asString();
        byte[] message = (appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + pkg + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            String paySign = Base64.getEncoder().encodeToString(SigningKey.fromSeed(merchant.ed25519Private()).sign(message));
            return ShellBrowser.JSON.createObjectNode().put("timeStamp", timeStamp).put("nonceStr", nonceStr).put("package", pkg)
                    .put("signType", "ED25519").put("paySign", paySign);
        } catch (dev.capsule.core.crypto.KeyFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The super-app's backend credits the user's wallet (a platform admin here; an API key with wallets.fund in production). */
    private HttpResponse<String> credit(String user, long amount, String currency) {
        return https.send(https.request("/api/v1/wallet-credits")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"amount\":" + amount + ",\"currency\":\"" + currency + "\"}"))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header(TestAuthentication.USER_HEADER, "funder").header(TestAuthentication.ROLES_HEADER, Role.PLATFORM_ADMIN.name())
                .build());
    }

    private int succeededMessages(TestMerchant merchant) {
        return jdbc.sql("SELECT count(*) FROM payments_webhook_message WHERE merchant_id = :m AND type = 'payment_intent.succeeded'")
                .param("m", merchant.id().value()).query(Integer.class).single();
    }

    private int refusals() {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("payment-sheet.refuse")).size();
    }
}
