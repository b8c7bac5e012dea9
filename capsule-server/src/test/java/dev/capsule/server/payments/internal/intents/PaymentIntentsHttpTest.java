package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.acquirer.TestAcquirer;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The merchant API of payment intents end to end over HTTPS (as a merchant whose signature verified), with the sheet for the payer. */
@CapsuleServerTest
class PaymentIntentsHttpTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    Ledger ledger;
    @Autowired
    PaymentIntents intents;
    @Autowired
    JsonMapper json;

    PaymentFixtures fixtures;
    PaymentFixtures.Shop shop;

    @BeforeEach
    void setUp() {
        fixtures = new PaymentFixtures(context);
        shop = fixtures.shop();
    }

    private List<String> webhooks(PaymentFixtures.Shop of) {
        return PaymentFixtures.webhookTypes(fixtures.jdbc, of.merchant().id());
    }

    private JsonNode confirm(JsonNode intent, String method) {
        HttpResponse<String> response = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm",
                method == null ? "" : "{\"paymentMethod\":\"" + method + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttps.json(response);
    }

    private List<String> transitions(JsonNode intent) {
        return intents.transitions(PaymentFixtures.id(intent)).stream().map(t -> t.from().wire() + "->" + t.to().wire()).toList();
    }

    private long merchantBalance(String currency) {
        return ledger.account(LedgerMapping.merchant(shop.merchant().id(), currency)).map(a -> a.creditBalance()).orElse(0L);
    }

    @Test
    void createAnswersTheIntentWithItsPrepayIdAuditsAndAnnouncesIt() {
        JsonNode intent = fixtures.create(shop, 1200, ",\"payer\":\"pw-abc\",\"metadata\":{\"order\":\"42\"}");
        assertThat(intent.get("object").asString()).isEqualTo("payment_intent");
        assertThat(intent.get("status").asString()).isEqualTo("requires_payment_method");
        assertThat(intent.get("amount").asLong()).isEqualTo(1200);
        assertThat(intent.get("currency").asString()).isEqualTo("CNY");
        assertThat(intent.get("captureMethod").asString()).isEqualTo("automatic");
        assertThat(intent.get("payer").asString()).isEqualTo("pw-abc");
        assertThat(intent.get("prepayId").asString()).startsWith("prepay_");
        assertThat(intent.get("metadata").get("order").asString()).isEqualTo("42");
        assertThat(intent.get("amountReceived").asLong()).isZero();
        assertThat(webhooks(shop)).containsExactly("payment_intent.created");
        assertThat(AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("payment-intent.create")
                && AuditEvents.text(e, "object").equals(intent.get("id").asString()))).hasSize(1);
        JsonNode read = TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString()));
        assertThat(read).isEqualTo(intent);
    }

    @Test
    void createRefusesEachInvalidFieldWithASpecificError() {
        HttpResponse<String> response = fixtures.post(shop, "/merchant/v1/payment-intents",
                "{\"amount\":0,\"currency\":\"cny\",\"appId\":\"com.example.notmine\",\"description\":\"x\",\"expiresInSeconds\":7200}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = TestHttps.json(response);
        assertThat(problem.get("type").asString()).endsWith("/validation");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactlyInAnyOrder("amount", "currency", "expiresInSeconds");
        HttpResponse<String> otherApp = fixtures.post(shop, "/merchant/v1/payment-intents",
                "{\"amount\":100,\"currency\":\"CNY\",\"appId\":\"com.example.notmine\",\"description\":\"x\"}");
        assertThat(otherApp.statusCode()).isEqualTo(400);
        assertThat(otherApp.body()).contains("appId").contains("is not a mini-program of this merchant");
        HttpResponse<String> unknown = fixtures.post(shop, "/merchant/v1/payment-intents",
                "{\"amount\":100,\"currency\":\"CNY\",\"appId\":\"" + shop.app().value() + "\",\"description\":\"x\",\"amountt\":1}");
        assertThat(TestHttps.json(unknown).get("type").asString()).endsWith("/unknown-field");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheFirstIntentAndCreatesNoOther() {
        String key = UUID.randomUUID().toString();
        String body = "{\"amount\":500,\"currency\":\"CNY\",\"appId\":\"" + shop.app().value() + "\",\"description\":\"once\"}";
        HttpResponse<String> first = fixtures.post(shop, "/merchant/v1/payment-intents", body, key);
        HttpResponse<String> second = fixtures.post(shop, "/merchant/v1/payment-intents", body, key);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(TestHttps.json(second).get("id")).isEqualTo(TestHttps.json(first).get("id"));
        assertThat(fixtures.jdbc.sql("SELECT count(*) FROM payments_intent WHERE merchant_id = :m").param("m", shop.merchant().id().value())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(fixtures.post(shop, "/merchant/v1/payment-intents", body, null).statusCode()).isEqualTo(400);
    }

    @Test
    void anotherMerchantsIntentAnswersExactlyLikeAnUnknownOne() {
        JsonNode intent = fixtures.create(shop, 300, "");
        PaymentFixtures.Shop other = fixtures.shop();
        HttpResponse<String> foreign = fixtures.get(other, "/merchant/v1/payment-intents/" + intent.get("id").asString());
        HttpResponse<String> unknown = fixtures.get(other, "/merchant/v1/payment-intents/pi_" + "a".repeat(26));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(TestHttps.json(foreign).get("type")).isEqualTo(TestHttps.json(unknown).get("type"));
        assertThat(TestHttps.json(foreign).get("detail")).isEqualTo(TestHttps.json(unknown).get("detail"));
        assertThat(fixtures.post(other, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/cancel", "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theListPagesNewestFirst() {
        JsonNode a = fixtures.create(shop, 100, "");
        JsonNode b = fixtures.create(shop, 200, "");
        JsonNode c = fixtures.create(shop, 300, "");
        JsonNode page = TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents?limit=2"));
        assertThat(page.get("data").valueStream().map(i -> i.get("id")).toList()).containsExactly(c.get("id"), b.get("id"));
        assertThat(page.get("hasMore").asBoolean()).isTrue();
        JsonNode rest = TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents?limit=2&startingAfter=" + b.get("id").asString()));
        assertThat(rest.get("data").valueStream().map(i -> i.get("id")).toList()).containsExactly(a.get("id"));
        assertThat(rest.get("hasMore").asBoolean()).isFalse();
        assertThat(fixtures.get(shop, "/merchant/v1/payment-intents?limit=101").statusCode()).isEqualTo(400);
    }

    @Test
    void aWalletPaymentMovesTheAmountFromTheWalletToTheMerchantOnce() {
        Payer payer = PaymentFixtures.payer();
        assertThat(fixtures.credit(payer, 5000, "CNY").statusCode()).isEqualTo(201);
        JsonNode intent = fixtures.create(shop, 1200, ",\"payer\":\"" + payer.appUserId() + "\"");
        fixtures.prepare(shop, payer, intent);
        JsonNode paid = confirm(intent, "wallet");
        assertThat(paid.get("status").asString()).isEqualTo("succeeded");
        assertThat(paid.get("amountReceived").asLong()).isEqualTo(1200);
        assertThat(paid.get("paymentMethod").asString()).isEqualTo("wallet");
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 3800L);
        assertThat(merchantBalance("CNY")).isEqualTo(1200);
        // Decided in the confirming transaction: one transition, never processing.
        assertThat(transitions(intent)).containsExactly("requires_payment_method->succeeded");
        assertThat(intents.transfers(PaymentFixtures.id(intent))).extracting(IntentStore.PaymentTransfer::purpose).containsExactly("charge");
        assertThat(webhooks(shop)).containsExactly("payment_intent.created", "payment_intent.succeeded");
        assertThat(AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("payment-intent.transition")
                && AuditEvents.text(e, "object").equals(intent.get("id").asString())))
                .extracting(e -> AuditEvents.text(e, "detail"))
                .containsExactly("requires_payment_method->succeeded");
        // A second confirm finds it paid: 409, and nothing moves.
        HttpResponse<String> again = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm",
                "{\"paymentMethod\":\"wallet\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(TestHttps.json(again).get("type").asString()).endsWith("/payment-intent-unexpected-state");
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 3800L);
        JsonNode balance = TestHttps.json(fixtures.get(shop, "/merchant/v1/balance"));
        assertThat(balance.get("available").get(0).get("amount").asLong()).isEqualTo(1200);
    }

    @Test
    void aWalletWithoutEnoughMoneyFailsThePaymentAndMovesNothing() {
        Payer payer = PaymentFixtures.payer();
        fixtures.credit(payer, 100, "CNY");
        JsonNode intent = fixtures.create(shop, 1200, "");
        fixtures.prepare(shop, payer, intent);
        JsonNode failed = confirm(intent, "wallet");
        assertThat(failed.get("status").asString()).isEqualTo("requires_payment_method");
        assertThat(failed.get("lastError").get("code").asString()).isEqualTo("insufficient-funds");
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 100L);
        assertThat(intents.transfers(PaymentFixtures.id(intent))).isEmpty();
        assertThat(transitions(intent)).containsExactly("requires_payment_method->processing", "processing->requires_payment_method");
        assertThat(webhooks(shop)).containsExactly("payment_intent.created", "payment_intent.payment_failed");
    }

    @Test
    void confirmWithoutABoundPayerOrAnUnknownCardIsRefused() {
        JsonNode intent = fixtures.create(shop, 100, "");
        HttpResponse<String> unbound = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm",
                "{\"paymentMethod\":\"wallet\"}");
        assertThat(TestHttps.json(unbound).get("type").asString()).endsWith("/payment-method-invalid");
        Payer payer = PaymentFixtures.payer();
        fixtures.prepare(shop, payer, intent);
        // A token of another payer for this merchant answers like an unknown token.
        CardToken someoneElses = fixtures.card(shop, PaymentFixtures.payer(), TestAcquirer.APPROVE);
        HttpResponse<String> foreignCard = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm",
                "{\"paymentMethod\":\"" + someoneElses.value() + "\"}");
        assertThat(foreignCard.statusCode()).isEqualTo(400);
        assertThat(TestHttps.json(foreignCard).get("type").asString()).endsWith("/payment-method-invalid");
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
    }

    @Test
    void theTestAcquirersCardsApproveDeclineAndRunOutOfFunds() {
        Payer payer = PaymentFixtures.payer();
        JsonNode approved = fixtures.create(shop, 900, "");
        fixtures.prepare(shop, payer, approved);
        JsonNode paid = confirm(approved, fixtures.card(shop, payer, TestAcquirer.APPROVE).value());
        assertThat(paid.get("status").asString()).isEqualTo("succeeded");
        assertThat(merchantBalance("CNY")).isEqualTo(900);

        JsonNode declined = fixtures.create(shop, 900, "");
        fixtures.prepare(shop, payer, declined);
        JsonNode refused = confirm(declined, fixtures.card(shop, payer, TestAcquirer.DECLINE).value());
        assertThat(refused.get("status").asString()).isEqualTo("requires_payment_method");
        assertThat(refused.get("lastError").get("code").asString()).isEqualTo("card-declined");

        JsonNode poor = fixtures.create(shop, 900, "");
        fixtures.prepare(shop, payer, poor);
        JsonNode noFunds = confirm(poor, fixtures.card(shop, payer, TestAcquirer.INSUFFICIENT_FUNDS).value());
        assertThat(noFunds.get("lastError").get("code").asString()).isEqualTo("insufficient-funds");
        // After a decline the payer may try again with another card: a new attempt.
        JsonNode retried = confirm(poor, fixtures.card(shop, payer, TestAcquirer.APPROVE).value());
        assertThat(retried.get("status").asString()).isEqualTo("succeeded");
        assertThat(merchantBalance("CNY")).isEqualTo(1800);
    }

    @Test
    void anIssuerChallengeWaitsForThePayersCodeInTheSheet() {
        Payer payer = PaymentFixtures.payer();
        JsonNode intent = fixtures.create(shop, 700, "");
        fixtures.prepare(shop, payer, intent);
        CardToken card = fixtures.card(shop, payer, TestAcquirer.CHALLENGE);
        PaymentSheets.Confirmation asked = fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Card(card),
                Optional.empty());
        assertThat(asked).isInstanceOf(PaymentSheets.Confirmation.ActionRequired.class);
        JsonNode waiting = TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString()));
        assertThat(waiting.get("status").asString()).isEqualTo("requires_action");
        assertThat(waiting.get("nextAction").get("type").asString()).isEqualTo("payer_authentication");
        // Another payer cannot answer it.
        assertThat(fixtures.sheets.completeAction(shop.app(), PaymentFixtures.payer(), PaymentFixtures.id(intent),
                json.createObjectNode().put("code", TestAcquirer.CHALLENGE_CODE)))
                .isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.NOT_FOUND));
        assertThat(fixtures.sheets.completeAction(shop.app(), payer, PaymentFixtures.id(intent),
                json.createObjectNode().put("code", TestAcquirer.CHALLENGE_CODE))).isEqualTo(new PaymentSheets.Confirmation.Paid());
        assertThat(transitions(intent)).containsExactly("requires_payment_method->processing", "processing->requires_action",
                "requires_action->processing", "processing->succeeded");
        assertThat(webhooks(shop)).containsExactly("payment_intent.created", "payment_intent.requires_action", "payment_intent.succeeded");

        JsonNode wrong = fixtures.create(shop, 700, "");
        fixtures.prepare(shop, payer, wrong);
        fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(wrong), new PaymentSheets.MethodChoice.Card(card), Optional.empty());
        assertThat(fixtures.sheets.completeAction(shop.app(), payer, PaymentFixtures.id(wrong), json.createObjectNode().put("code", "000000")))
                .isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.DECLINED));
        assertThat(intents.find(PaymentFixtures.id(wrong)).orElseThrow().lastError()).contains("authentication-failed");
        assertThat(merchantBalance("CNY")).isEqualTo(700);
    }

    @Test
    void anAcquirerTimeoutIsRetriedWithTheSameReferenceAndAnUnresolvedOneStaysProcessing() {
        Payer payer = PaymentFixtures.payer();
        JsonNode once = fixtures.create(shop, 400, "");
        fixtures.prepare(shop, payer, once);
        assertThat(confirm(once, fixtures.card(shop, payer, TestAcquirer.TIMEOUT_ONCE).value()).get("status").asString()).isEqualTo("succeeded");

        JsonNode stuck = fixtures.create(shop, 400, "");
        fixtures.prepare(shop, payer, stuck);
        JsonNode processing = confirm(stuck, fixtures.card(shop, payer, TestAcquirer.TIMEOUT).value());
        assertThat(processing.get("status").asString()).isEqualTo("processing");
        assertThat(processing.get("lastError").get("code").asString()).isEqualTo("acquirer-timeout");
        assertThat(fixtures.post(shop, "/merchant/v1/payment-intents/" + stuck.get("id").asString() + "/cancel", "").statusCode()).isEqualTo(409);
        // Confirming again retries the same attempt (no new transition, same reference).
        assertThat(confirm(stuck, null).get("status").asString()).isEqualTo("processing");
        assertThat(transitions(stuck)).containsExactly("requires_payment_method->processing");
        assertThat(merchantBalance("CNY")).isEqualTo(400);
    }

    @Test
    void manualCaptureHoldsTheAmountThenCapturesPartOfIt() {
        Payer payer = PaymentFixtures.payer();
        JsonNode intent = fixtures.create(shop, 1000, ",\"captureMethod\":\"manual\"");
        fixtures.prepare(shop, payer, intent);
        JsonNode held = confirm(intent, fixtures.card(shop, payer, TestAcquirer.APPROVE).value());
        assertThat(held.get("status").asString()).isEqualTo("requires_capture");
        assertThat(held.get("amountCapturable").asLong()).isEqualTo(1000);
        assertThat(merchantBalance("CNY")).isZero();
        String id = intent.get("id").asString();
        assertThat(fixtures.post(shop, "/merchant/v1/payment-intents/" + id + "/capture", "{\"amount\":1001}").statusCode()).isEqualTo(400);
        HttpResponse<String> captured = fixtures.post(shop, "/merchant/v1/payment-intents/" + id + "/capture", "{\"amount\":700}");
        assertThat(captured.statusCode()).as(captured.body()).isEqualTo(200);
        assertThat(TestHttps.json(captured).get("status").asString()).isEqualTo("succeeded");
        assertThat(TestHttps.json(captured).get("amountReceived").asLong()).isEqualTo(700);
        assertThat(TestHttps.json(captured).get("amountCapturable").asLong()).isZero();
        assertThat(merchantBalance("CNY")).isEqualTo(700);
        assertThat(ledger.account(LedgerMapping.merchant(shop.merchant().id(), "CNY")).orElseThrow().creditsPending()).isZero();
        assertThat(intents.transfers(PaymentFixtures.id(intent))).extracting(IntentStore.PaymentTransfer::purpose).containsExactly("hold", "capture");
        assertThat(transitions(intent)).containsExactly("requires_payment_method->processing", "processing->requires_capture",
                "requires_capture->succeeded");
        assertThat(webhooks(shop)).containsExactly("payment_intent.created", "payment_intent.amount_capturable_updated",
                "payment_intent.succeeded");
    }

    @Test
    void cancelingAHeldWalletPaymentVoidsTheHold() {
        Payer payer = PaymentFixtures.payer();
        fixtures.credit(payer, 2000, "CNY");
        JsonNode intent = fixtures.create(shop, 1500, ",\"captureMethod\":\"manual\",\"paymentMethod\":\"wallet\"");
        assertThat(intent.get("status").asString()).isEqualTo("requires_confirmation");
        fixtures.prepare(shop, payer, intent);
        assertThat(confirm(intent, null).get("status").asString()).isEqualTo("requires_capture");
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 2000L);
        assertThat(ledger.account(LedgerMapping.wallet(payer.id(), "CNY")).orElseThrow().debitsPending()).isEqualTo(1500);
        HttpResponse<String> canceled = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/cancel", "");
        assertThat(TestHttps.json(canceled).get("status").asString()).isEqualTo("canceled");
        assertThat(TestHttps.json(canceled).get("cancellationReason").asString()).isEqualTo("requested");
        assertThat(ledger.account(LedgerMapping.wallet(payer.id(), "CNY")).orElseThrow().debitsPending()).isZero();
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 2000L);
        assertThat(transitions(intent)).containsExactly("requires_confirmation->requires_capture", "requires_capture->canceled");
    }

    @Test
    void unpaidIntentsCanBeCanceledOnceAndExpireByThemselves() {
        JsonNode open = fixtures.create(shop, 100, "");
        String path = "/merchant/v1/payment-intents/" + open.get("id").asString() + "/cancel";
        assertThat(TestHttps.json(fixtures.post(shop, path, "")).get("status").asString()).isEqualTo("canceled");
        assertThat(fixtures.post(shop, path, "").statusCode()).isEqualTo(409);
        assertThat(transitions(open)).containsExactly("requires_payment_method->canceled");

        JsonNode confirmable = fixtures.create(shop, 100, ",\"paymentMethod\":\"wallet\"");
        fixtures.jdbc.sql("UPDATE payments_intent SET expires_at = now() - interval '1 second' WHERE intent_id = :id")
                .param("id", confirmable.get("id").asString()).update();
        assertThat(intents.expiredIntents(1000)).contains(PaymentFixtures.id(confirmable));
        assertThat(intents.expire(PaymentFixtures.id(confirmable))).isTrue();
        assertThat(intents.expire(PaymentFixtures.id(confirmable))).isFalse();
        PaymentIntent expired = intents.find(PaymentFixtures.id(confirmable)).orElseThrow();
        assertThat(expired.status()).isEqualTo(IntentStatus.CANCELED);
        assertThat(expired.cancellationReason()).contains("expired");
        assertThat(transitions(confirmable)).containsExactly("requires_confirmation->canceled");

        Payer payer = PaymentFixtures.payer();
        JsonNode challenged = fixtures.create(shop, 100, "");
        fixtures.prepare(shop, payer, challenged);
        fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(challenged),
                new PaymentSheets.MethodChoice.Card(fixtures.card(shop, payer, TestAcquirer.CHALLENGE)), Optional.empty());
        HttpResponse<String> canceled = fixtures.post(shop, "/merchant/v1/payment-intents/" + challenged.get("id").asString() + "/cancel", "");
        assertThat(TestHttps.json(canceled).get("status").asString()).isEqualTo("canceled");
        assertThat(transitions(challenged)).endsWith("requires_action->canceled");
    }

    @Test
    void refundsAreNewTransfersAndNeverMoreThanWasReceived() {
        Payer payer = PaymentFixtures.payer();
        fixtures.credit(payer, 1000, "CNY");
        JsonNode intent = fixtures.create(shop, 1000, "");
        fixtures.prepare(shop, payer, intent);
        confirm(intent, "wallet");
        String id = intent.get("id").asString();
        HttpResponse<String> partial = fixtures.post(shop, "/merchant/v1/refunds", "{\"paymentIntent\":\"" + id + "\",\"amount\":300}");
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(201);
        JsonNode refund = TestHttps.json(partial);
        assertThat(refund.get("object").asString()).isEqualTo("refund");
        assertThat(refund.get("id").asString()).startsWith("re_");
        assertThat(refund.get("amount").asLong()).isEqualTo(300);
        HttpResponse<String> tooMuch = fixtures.post(shop, "/merchant/v1/refunds", "{\"paymentIntent\":\"" + id + "\",\"amount\":701}");
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        assertThat(TestHttps.json(tooMuch).get("type").asString()).endsWith("/refund-exceeds-received");
        assertThat(fixtures.post(shop, "/merchant/v1/refunds", "{\"paymentIntent\":\"" + id + "\"}").statusCode()).isEqualTo(201);
        JsonNode after = TestHttps.json(fixtures.get(shop, "/merchant/v1/payment-intents/" + id));
        assertThat(after.get("status").asString()).isEqualTo("succeeded");
        assertThat(after.get("amountRefunded").asLong()).isEqualTo(1000);
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 1000L);
        assertThat(merchantBalance("CNY")).isZero();
        assertThat(intents.transfers(PaymentFixtures.id(intent))).extracting(IntentStore.PaymentTransfer::purpose)
                .containsExactly("charge", "refund", "refund");
        assertThat(webhooks(shop)).endsWith("refund.created", "refund.created");
        JsonNode unpaid = fixtures.create(shop, 100, "");
        assertThat(fixtures.post(shop, "/merchant/v1/refunds", "{\"paymentIntent\":\"" + unpaid.get("id").asString() + "\"}").statusCode())
                .isEqualTo(409);
        assertThat(ledger.verify().problems()).isEmpty();
    }

    @Test
    void walletCreditsNeedWalletsFundAndAnIdempotencyKey() {
        Payer payer = PaymentFixtures.payer();
        String body = "{\"user\":\"" + payer.id().value() + "\",\"amount\":250,\"currency\":\"EUR\"}";
        HttpResponse<String> noPermission = fixtures.https.send(fixtures.https.request("/api/v1/wallet-credits")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k1").header(TestAuthentication.USER_HEADER, "reader")
                .header(TestAuthentication.ROLES_HEADER, Role.SUPPORT.name()).build());
        assertThat(noPermission.statusCode()).isEqualTo(403);
        HttpResponse<String> noKey = fixtures.https.send(fixtures.https.request("/api/v1/wallet-credits")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header(TestAuthentication.USER_HEADER, "funder").header(TestAuthentication.ROLES_HEADER, Role.PLATFORM_ADMIN.name()).build());
        assertThat(noKey.statusCode()).isEqualTo(400);
        HttpResponse<String> credited = fixtures.credit(payer, 250, "EUR");
        assertThat(credited.statusCode()).as(credited.body()).isEqualTo(201);
        assertThat(TestHttps.json(credited).get("balance").asLong()).isEqualTo(250);
        assertThat(intents.balances(payer.id())).containsExactly(java.util.Map.entry("EUR", 250L));
        assertThat(fixtures.credit(payer, 0, "EUR").statusCode()).isEqualTo(400);
        assertThat(intents.balances(payer.id())).containsExactly(java.util.Map.entry("EUR", 250L));
    }

    @Test
    void operatorsReadIntentsWithTransitionsAndLedgerTransfers() {
        Payer payer = PaymentFixtures.payer();
        fixtures.credit(payer, 600, "CNY");
        JsonNode intent = fixtures.create(shop, 600, "");
        fixtures.prepare(shop, payer, intent);
        confirm(intent, "wallet");
        String path = "/api/v1/payment-intents/" + intent.get("id").asString();
        assertThat(fixtures.https.get(path, TestAuthentication.USER_HEADER, "nobody", TestAuthentication.ROLES_HEADER, Role.DEVELOPER.name())
                .statusCode()).isEqualTo(403);
        HttpResponse<String> read = fixtures.https.get(path, TestAuthentication.USER_HEADER, "support", TestAuthentication.ROLES_HEADER, Role.SUPPORT.name());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode detail = TestHttps.json(read);
        assertThat(detail.get("merchant").asString()).isEqualTo(shop.merchant().id().value());
        assertThat(detail.get("transitions").valueStream().map(t -> t.get("to").asString()).toList()).containsExactly("succeeded");
        assertThat(detail.get("ledgerTransfers").get(0).get("purpose").asString()).isEqualTo("charge");
        assertThat(detail.get("ledgerTransfers").get(0).get("state").asString()).isEqualTo("posted");
        HttpResponse<String> list = fixtures.https.get("/api/v1/payment-intents?merchant=" + shop.merchant().id().value(),
                TestAuthentication.USER_HEADER, "support", TestAuthentication.ROLES_HEADER, Role.SUPPORT.name());
        assertThat(TestHttps.json(list).get("data").get(0).get("id")).isEqualTo(intent.get("id"));
    }
}
