package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code wx.requestPayment}'s paySign and the prepay binding as the sheet checks them: each refusal gives the
 * mini-program its one code, is audited with its own reason, and changes nothing.
 */
@CapsuleServerTest
class PaymentSheetPaySignTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    PaymentIntents intents;

    PaymentFixtures fixtures;
    PaymentFixtures.Shop shop;
    Payer payer;
    JsonNode intent;

    @BeforeEach
    void setUp() {
        fixtures = new PaymentFixtures(context);
        shop = fixtures.shop();
        payer = PaymentFixtures.payer();
        intent = fixtures.create(shop, 800, ",\"payer\":\"" + payer.appUserId() + "\"");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private PaymentSheets.Prepared prepare(MiniProgramId app, Payer who, PaymentSheet.Request request) {
        return fixtures.sheets.prepare(app, who, request);
    }

    /** The refusal's audit reason (the newest payment-sheet.refuse entry of this app). */
    private String auditedReason(MiniProgramId app) {
        var refusals = AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("payment-sheet.refuse")
                && AuditEvents.text(e, "app").equals(app.value()));
        assertThat(refusals).isNotEmpty();
        assertThat(AuditEvents.text(refusals.getLast(), "outcome")).isEqualTo("denied");
        return AuditEvents.text(refusals.getLast(), "reason");
    }

    private void assertUnbound() {
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().payer()).isEmpty();
    }

    @Test
    void aPaySignOfTheMerchantsEd25519OrHmacKeyOpensTheSheetWithTheVerifiedNameAndAmount() {
        PaymentSheets.Prepared ed = prepare(shop.app(), payer, fixtures.signedRequest(shop, intent));
        assertThat(ed).isInstanceOf(PaymentSheets.Prepared.Ready.class);
        PaymentSheets.Order order = ((PaymentSheets.Prepared.Ready) ed).order();
        assertThat(order.merchantName()).isEqualTo("Example Shop");
        assertThat(order.amountMinor()).isEqualTo(800);
        assertThat(order.currency()).isEqualTo("CNY");
        assertThat(order.description()).isEqualTo("Order 42");
        assertThat(order.stepUp()).isEmpty();
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().payer()).contains(payer.id());
        PaymentSheets.Prepared hmac = prepare(shop.app(), payer,
                PaymentFixtures.hmacRequest(shop.merchant().hmacSecret(), shop.app().value(), now(), intent, "HMAC-SHA256"));
        assertThat(hmac).isInstanceOf(PaymentSheets.Prepared.Ready.class);
    }

    @Test
    void aSignatureOfAKeyTheMerchantDoesNotHaveIsRefused() {
        byte[] stranger = new Ed25519PrivateKeyParameters(new SecureRandom()).getEncoded();
        assertThat(prepare(shop.app(), payer, PaymentFixtures.ed25519Request(stranger, shop.app().value(), now(), intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-mismatch");
        assertUnbound();
    }

    @Test
    void aSignTypeNamingAnotherAlgorithmThanTheSignaturesIsRefused() {
        // An HMAC tag presented as ED25519 is checked only against the Ed25519 keys, and fails.
        assertThat(prepare(shop.app(), payer,
                PaymentFixtures.hmacRequest(shop.merchant().hmacSecret(), shop.app().value(), now(), intent, "ED25519")))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-mismatch");
        // An Ed25519 signature presented as HMAC-SHA256 is checked only against the HMAC keys, and fails.
        PaymentSheet.Request ed = fixtures.signedRequest(shop, intent);
        assertThat(prepare(shop.app(), payer, new PaymentSheet.Request(ed.timeStamp(), ed.nonceStr(), ed.packageValue(), "HMAC-SHA256",
                ed.paySign()))).isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-mismatch");
        // A signType the platform does not know is refused before any key is tried.
        assertThat(prepare(shop.app(), payer, new PaymentSheet.Request(ed.timeStamp(), ed.nonceStr(), ed.packageValue(), "MD5",
                ed.paySign()))).isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-sign-type");
        assertUnbound();
    }

    @Test
    void aTimestampMoreThanFiveMinutesFromTheServerClockIsRefused() {
        byte[] key = shop.merchant().ed25519Private();
        assertThat(prepare(shop.app(), payer, PaymentFixtures.ed25519Request(key, shop.app().value(), now() - PaySign.SKEW_SECONDS_MAX - 5, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-stale");
        assertThat(prepare(shop.app(), payer, PaymentFixtures.ed25519Request(key, shop.app().value(), now() + PaySign.SKEW_SECONDS_MAX + 5, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-stale");
        assertUnbound();
    }

    @Test
    void aTamperedPackageOrMalformedNonceIsRefused() {
        PaymentSheet.Request signed = fixtures.signedRequest(shop, intent);
        JsonNode other = fixtures.create(shop, 1, "");
        assertThat(prepare(shop.app(), payer, new PaymentSheet.Request(signed.timeStamp(), signed.nonceStr(),
                "prepay_id=" + other.get("prepayId").asString(), signed.signType(), signed.paySign())))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(prepare(shop.app(), payer, new PaymentSheet.Request(signed.timeStamp(), "not a nonce!", signed.packageValue(),
                signed.signType(), signed.paySign()))).isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.SIGNATURE));
        assertThat(auditedReason(shop.app())).isEqualTo("signature-malformed");
    }

    @Test
    void anotherMiniProgramCannotOpenTheIntentEvenWithAValidSignatureForItself() {
        // The merchant's other app signs correctly for itself: the intent is not that app's, refused like an unknown one.
        MiniProgramId otherApp = MiniProgramId.of("com.example.other" + PaymentFixtures.letters(8));
        fixtures.jdbc.sql("INSERT INTO payments_merchant_app (app_id, merchant_id) VALUES (:a, :m)")
                .param("a", otherApp.value()).param("m", shop.merchant().id().value()).update();
        PaymentSheet.Request forOther = PaymentFixtures.ed25519Request(shop.merchant().ed25519Private(), otherApp.value(), now(), intent);
        assertThat(prepare(otherApp, payer, forOther)).isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.NOT_FOUND));
        assertThat(auditedReason(otherApp)).isEqualTo("not-found");
        assertThat(prepare(shop.app(), payer, new PaymentSheet.Request(forOther.timeStamp(), forOther.nonceStr(), "prepay_id=prepay_"
                + "a".repeat(26), forOther.signType(), forOther.paySign()))).isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.NOT_FOUND));
        assertUnbound();
    }

    @Test
    void anotherPayerCannotOpenOrPayTheIntent() {
        Payer stranger = new Payer(new PayerId("someone-else"), "pw-someoneelse");
        assertThat(prepare(shop.app(), stranger, fixtures.signedRequest(shop, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.NOT_FOUND));
        assertUnbound();
        fixtures.prepare(shop, payer, intent);
        // Same pairwise id, other platform user: the intent is bound to the first payer.
        Payer lookalike = new Payer(new PayerId("lookalike"), payer.appUserId());
        assertThat(prepare(shop.app(), lookalike, fixtures.signedRequest(shop, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.NOT_FOUND));
        assertThat(fixtures.sheets.confirm(shop.app(), lookalike, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(),
                java.util.Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.NOT_FOUND));
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
    }

    @Test
    void anExpiredIntentIsRefusedBySheetAndConfirm() {
        fixtures.prepare(shop, payer, intent);
        fixtures.jdbc.sql("UPDATE payments_intent SET expires_at = now() - interval '1 second' WHERE intent_id = :id")
                .param("id", intent.get("id").asString()).update();
        assertThat(prepare(shop.app(), payer, fixtures.signedRequest(shop, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.EXPIRED));
        assertThat(auditedReason(shop.app())).isEqualTo("expired");
        fixtures.credit(payer, 1000, "CNY");
        assertThat(fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(),
                java.util.Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.EXPIRED));
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 1000L);
    }

    @Test
    void aPaidIntentIsRefusedAsAlreadyPaidAndNeverChargedTwice() {
        fixtures.credit(payer, 2000, "CNY");
        fixtures.prepare(shop, payer, intent);
        assertThat(fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(),
                java.util.Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.Paid());
        assertThat(prepare(shop.app(), payer, fixtures.signedRequest(shop, intent)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.ALREADY_PAID));
        assertThat(auditedReason(shop.app())).isEqualTo("already-paid");
        assertThat(fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(),
                java.util.Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.ALREADY_PAID));
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 1200L);
    }

    @Test
    void aWalletThatCannotCoverThePaymentIsRefusedAsInsufficientFunds() {
        fixtures.credit(payer, 10, "CNY");
        PaymentSheets.Order order = fixtures.prepare(shop, payer, intent);
        assertThat(order.walletBalanceMinor()).contains(10L);
        assertThat(fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(),
                java.util.Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.INSUFFICIENT_FUNDS));
    }
}
