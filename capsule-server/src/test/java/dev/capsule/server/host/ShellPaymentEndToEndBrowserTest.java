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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * Chromium the user pays in the shell's sheet, once with a new card (entered in the sheet, saved through
 * {@code POST /shell/cards}) and then, in the same session, with the wallet the super-app credited through
 * {@code POST /api/v1/wallet-credits}; the merchant then reads each intent as {@code succeeded}, the mini-program saw
 * only {@code requestPayment:ok} (and, behind each sheet, the page it had set before asking), the outbox holds
 * {@code payment_intent.succeeded} for each and the ledger verifies. A forged paySign never opens the sheet, pays
 * nothing, and the mini-program gets {@code fail} with the refusal code. A card whose issuer challenges each payment is
 * added in the sheet and pays only with the issuer's code.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.sessions-per-node-max=64"})
class ShellPaymentEndToEndBrowserTest {
    static final String ROUTE = "pages/index/index";
    /** The test acquirer's approving card. */
    static final String NEW_CARD = "4242 4242 4242 4242";
    /** The test acquirer's card whose issuer asks for a code at each payment (docs/payments.md, "Test cards"). */
    static final String CHALLENGE_CARD = "4000 0000 0000 3220";
    /** The code that answers that issuer's challenge; anything else fails the authentication. */
    static final String CHALLENGE_CODE = "123456";

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
            assertThat(shell.guestText()).isEqualTo(ReleasedShell.compact("Pay card Pay wallet Pay forged result fail forged "
                    + "{\"errMsg\":\"requestPayment:fail signature\"}"));
            assertThat(refusals()).as("the refusal is audited").isEqualTo(refusals + 1);
            assertThat(status(merchant[0], intents.get("wallet"))).isEqualTo("requires_payment_method");

            // A new card, saved through the card endpoint from the sheet.
            shell.click(shell.guestRectOfText("Pay card"));
            shell.page.waitForSelector(".capsule-sheet-payment");
            assertThat(shell.page.textContent(".capsule-sheet-payment .capsule-sheet-title")).isEqualTo("Pay Fresh Fruit Ltd");
            assertThat(shell.page.textContent(".capsule-payment-amount")).isEqualTo("€12.34");
            assertThat(shell.page.textContent(".capsule-payment-description")).isEqualTo("3 apples");
            addCard(shell, NEW_CARD);
            assertThat(shell.page.textContent(".capsule-payment-card[aria-checked='true']")).isEqualTo("Visa •••• 4242");
            shell.page.click(".capsule-pay");
            shell.waitForGuestText("requestPayment:ok");
            // The shell's own toast (the forged attempt's "Payment not completed (signature)" may still be shown).
            shell.page.waitForSelector(".capsule-payment-result >> text=Paid");
            assertThat(shell.guestText()).as("the mini-program saw only the outcome")
                    .endsWith(ReleasedShell.compact("result ok card {\"errMsg\":\"requestPayment:ok\"}"));

            assertThat(status(merchant[0], intents.get("wallet"))).as("the forged request paid nothing").isEqualTo("requires_payment_method");

            // A second payment in the same session, by the wallet the super-app credited, with the first's toast still
            // shown or gone (it was once gone here, and the test then waited for the page's "asking" while the sheet was
            // open; the page showed it only once the sheet was answered: PromptRenderTest).
            shell.page.waitForFunction("() => document.getElementById('capsule-toasts').children.length === 0");
            shell.click(shell.guestRectOfText("Pay wallet"));
            shell.page.waitForSelector(".capsule-sheet-payment .capsule-payment-wallet");
            shell.waitForGuestText("result asking wallet");
            assertThat(shell.page.textContent(".capsule-payment-amount")).isEqualTo("€25.00");
            assertThat(shell.page.textContent(".capsule-payment-description")).isEqualTo("A basket of pears");
            assertThat(shell.page.textContent(".capsule-payment-wallet")).isEqualTo("Wallet · balance €50.00");
            assertThat(shell.page.textContent(".capsule-payment-card")).as("the card saved in the first sheet").isEqualTo("Visa •••• 4242");
            shell.page.click(".capsule-payment-wallet");
            shell.screenshot("shell-payment-wallet.png");
            shell.page.click(".capsule-pay");
            shell.waitForGuestText("result ok wallet");
            shell.page.waitForSelector(".capsule-payment-result >> text=Paid");
            assertThat(shell.guestText()).endsWith(ReleasedShell.compact("result ok wallet {\"errMsg\":\"requestPayment:ok\"}"));

            // The merchant learns the outcome from the API, never from the client.
            for (JsonNode intent : intents.values()) {
                assertThat(status(merchant[0], intent)).isEqualTo("succeeded");
            }
            assertThat(TestHttps.json(get(merchant[0], "/merchant/v1/payment-intents/" + intents.get("card").get("id").asString()))
                    .get("amountReceived").asLong()).isEqualTo(1234);
            assertThat(succeededMessages(merchant[0])).as("payment_intent.succeeded for each, in the outbox").isEqualTo(messagesBefore + 2);
            for (JsonNode intent : intents.values()) {
                assertThat(jdbc.sql("SELECT count(*) FROM payments_webhook_message WHERE merchant_id = :m AND type = 'payment_intent.succeeded' "
                                + "AND convert_from(body, 'UTF8') LIKE :id")
                        .param("m", merchant[0].id().value()).param("id", "%" + intent.get("id").asString() + "%").query(Long.class).single())
                        .isEqualTo(1);
            }
            assertThat(ledger.verify().problems()).as("the ledger verifies").isEmpty();

            // The wallet page, with the balance left and the saved card.
            shell.page.navigate(https.uri("/shell/wallet").toString());
            assertThat(shell.page.textContent("main")).contains("25.00").contains("4242").contains("Fresh Fruit Ltd");
            shell.screenshot("shell-wallet.png");
            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    /**
     * A card whose issuer asks the cardholder to authenticate each payment (3DS-style, the test acquirer's
     * {@value #CHALLENGE_CARD}) is added in the sheet like any card (saving verifies it with its code; the
     * issuer's "challenge required" is a card it knows, never an approval), and paying with it goes through the issuer's
     * challenge in a second sheet: the right code pays, a wrong one does not (the intent is back to
     * {@code requires_payment_method} with {@code authentication-failed}, the failed transition audited), and the
     * mini-program sees only {@code ok} or {@code fail declined}.
     */
    @Test
    void aCardWhoseIssuerChallengesIsAddedInTheSheetAndPaysOnlyWithTheIssuersCode() throws Exception {
        String user = "payer-" + System.nanoTime();
        Map<String, JsonNode> intents = new LinkedHashMap<>();
        TestMerchant[] merchant = new TestMerchant[1];
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer developer = shell.released("financial", appId -> {
                merchant[0] = TestMerchants.create(jdbc, fieldEncryption, "Plum Orchard", new MiniProgramId(appId));
                intents.put("plums", created(merchant[0], appId, 700, "A crate of plums"));
                intents.put("figs", created(merchant[0], appId, 800, "A box of figs"));
                ObjectNode orders = ShellBrowser.JSON.createObjectNode();
                intents.forEach((name, intent) -> orders.set(name, order(merchant[0], appId, intent)));
                return fixture(orders.toString());
            });
            shell.enter(user);
            shell.open(developer.appId(), ROUTE);
            shell.waitForGuestText("result none");

            // Added in the sheet: saved (its code verified), and chosen.
            shell.click(shell.guestRectOfText("Pay plums"));
            shell.page.waitForSelector(".capsule-sheet-payment");
            addCard(shell, CHALLENGE_CARD);
            assertThat(shell.page.textContent(".capsule-payment-card[aria-checked='true']")).isEqualTo("Visa •••• 3220");
            shell.page.click(".capsule-pay");
            // The issuer's challenge, over the page that shows what the mini-program set before asking.
            shell.page.waitForSelector(".capsule-sheet-payment-challenge .capsule-card-challenge");
            assertThat(shell.page.textContent(".capsule-sheet-payment-challenge .capsule-payment-amount")).isEqualTo("€7.00 · Plum Orchard");
            shell.waitForGuestText("result asking plums");
            assertThat(status(merchant[0], intents.get("plums"))).isEqualTo("requires_action");
            shell.page.fill(".capsule-card-challenge", CHALLENGE_CODE);
            shell.screenshot("shell-payment-challenge.png");
            shell.page.click(".capsule-sheet-payment-challenge .capsule-confirm");
            shell.waitForGuestText("result ok plums");
            assertThat(shell.guestText()).endsWith(ReleasedShell.compact("result ok plums {\"errMsg\":\"requestPayment:ok\"}"));
            assertThat(status(merchant[0], intents.get("plums"))).isEqualTo("succeeded");

            // The saved card again, a wrong code: not paid.
            shell.click(shell.guestRectOfText("Pay figs"));
            shell.page.waitForSelector(".capsule-sheet-payment .capsule-payment-card");
            assertThat(shell.page.textContent(".capsule-payment-card")).isEqualTo("Visa •••• 3220");
            shell.page.click(".capsule-payment-card");
            shell.page.click(".capsule-pay");
            shell.page.waitForSelector(".capsule-sheet-payment-challenge .capsule-card-challenge");
            shell.page.fill(".capsule-card-challenge", "000000");
            shell.page.click(".capsule-sheet-payment-challenge .capsule-confirm");
            shell.waitForGuestText("result fail figs");
            assertThat(shell.guestText()).endsWith(ReleasedShell.compact("result fail figs {\"errMsg\":\"requestPayment:fail declined\"}"));
            shell.page.waitForSelector(".capsule-payment-result >> text=Payment not completed (declined)");
            JsonNode figs = TestHttps.json(get(merchant[0], "/merchant/v1/payment-intents/" + intents.get("figs").get("id").asString()));
            assertThat(figs.get("status").asString()).isEqualTo("requires_payment_method");
            assertThat(figs.get("amountReceived").asLong()).isZero();
            assertThat(figs.get("lastError").get("code").asString()).isEqualTo("authentication-failed");
            assertThat(AuditEvents.where(jdbc, e -> "payment-intent.transition".equals(AuditEvents.text(e, "type"))
                    && intents.get("figs").get("id").asString().equals(AuditEvents.text(e, "object"))))
                    .as("the failed authentication is audited")
                    .anySatisfy(e -> assertThat(AuditEvents.line(e, " ", "outcome", "reason", "detail"))
                            .startsWith("failure").endsWith("processing->requires_payment_method"));
            assertThat(ledger.verify().problems()).as("the ledger verifies").isEmpty();
            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    /** Adds a card in the open sheet through the card endpoint and waits until it is saved and chosen. */
    private static void addCard(ReleasedShell shell, String number) {
        shell.page.click(".capsule-payment-add-card");
        shell.page.fill(".capsule-card-number", number);
        shell.page.fill(".capsule-card-expiry", "12/34");
        shell.page.fill(".capsule-card-code", "123");
        shell.page.fill(".capsule-card-name", "Ada Lovelace");
        shell.page.click(".capsule-card-save");
        shell.page.waitForFunction("() => document.querySelector(\".capsule-payment-card[aria-checked='true']\")"
                + " || document.querySelector('.capsule-payment-error').textContent !== ''");
        assertThat(shell.page.textContent(".capsule-payment-error")).as("the card endpoint's answer").isEmpty();
        assertThat(shell.page.inputValue(".capsule-card-number")).as("the inputs are cleared").isEmpty();
    }

    /** The mini-program: examples/todo with the fixture's page, the merchant's orders written in. */
    private static Map<String, String> fixture(String orders) {
        return ShellTestBeans.payPages(orders);
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

    /** What the merchant's backend hands its mini-program, paySign signed over {@code appId} ({@link TestMerchant#requestPayment}). */
    private static ObjectNode order(TestMerchant merchant, String appId, JsonNode intent) {
        return ShellBrowser.JSON.valueToTree(merchant.requestPayment(appId, intent.get("prepayId").asString()));
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
