package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The payment records' personal-data holder: a person's payments (with refunds), wallet credits and balance, and nobody
 * else's; erasure keeps every record and counts them, with the anti-money-laundering basis.
 */
@CapsuleServerTest
class PaymentRecordsHolderTest {
    @Autowired ApplicationContext context;
    @Autowired PaymentRecordsHolder holder;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    private PaymentFixtures fixtures;
    private PaymentFixtures.Shop shop;

    @BeforeEach
    void setUp() {
        fixtures = new PaymentFixtures(context);
        shop = fixtures.shop();
    }

    /** Pays {@code amount} CNY from the payer's wallet; the paid intent. */
    private JsonNode paid(Payer payer, long amount) {
        JsonNode intent = fixtures.create(shop, amount, ",\"metadata\":{\"order\":\"o-" + amount + "\"}");
        fixtures.prepare(shop, payer, intent);
        HttpResponse<String> confirmed = fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm",
                "{\"paymentMethod\":\"wallet\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        return TestHttps.json(confirmed);
    }

    private String refund(JsonNode intent, long amount) {
        HttpResponse<String> refunded = fixtures.post(shop, "/merchant/v1/refunds",
                "{\"paymentIntent\":\"" + intent.get("id").asString() + "\",\"amount\":" + amount + "}");
        assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(201);
        return TestHttps.json(refunded).get("id").asString();
    }

    private static Map<String, List<Map<String, Object>>> byKind(HeldData held) {
        return held.records().stream().collect(Collectors.groupingBy(r -> (String) r.get("kind")));
    }

    @Test
    void theExportHoldsThePersonsPaymentsRefundsCreditsAndBalanceAndNoOnesElse() {
        Payer ada = PaymentFixtures.payer();
        Payer bob = PaymentFixtures.payer();
        assertThat(fixtures.credit(ada, 1000, "CNY").statusCode()).isEqualTo(201);
        assertThat(fixtures.credit(bob, 500, "CNY").statusCode()).isEqualTo(201);
        JsonNode adasPayment = paid(ada, 700);
        String adasRefund = refund(adasPayment, 200);
        JsonNode bobsPayment = paid(bob, 300);

        HeldData adas = holder.export(new DataSubject(ada.id().value()));

        assertThat(adas.holder()).isEqualTo("payments.records");
        assertThat(adas.truncated()).isFalse();
        Map<String, List<Map<String, Object>>> kinds = byKind(adas);
        assertThat(kinds.keySet()).containsExactlyInAnyOrder("payment", "wallet-credit", "wallet");
        Map<String, Object> payment = kinds.get("payment").getFirst();
        assertThat(kinds.get("payment")).hasSize(1);
        assertThat(payment).containsEntry("id", adasPayment.get("id").asString())
                .containsEntry("merchant", shop.merchant().id().value())
                .containsEntry("miniProgram", shop.app().value())
                .containsEntry("amount", 700L).containsEntry("currency", "CNY").containsEntry("status", "succeeded")
                .containsEntry("amountRefunded", 200L).containsEntry("paidWith", "wallet")
                .containsEntry("metadata", Map.of("order", "o-700")).containsKey("created");
        assertThat((List<?>) payment.get("refunds")).singleElement()
                .satisfies(r -> assertThat(((Map<?, ?>) r).get("id")).isEqualTo(adasRefund))
                .satisfies(r -> assertThat(((Map<?, ?>) r).get("amount")).isEqualTo(200L));
        assertThat(kinds.get("wallet-credit")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("amount", 1000L).containsEntry("currency", "CNY"));
        assertThat(kinds.get("wallet")).singleElement()
                .satisfies(w -> assertThat(w).containsEntry("currency", "CNY").containsEntry("balance", 500L)
                        .containsEntry("ledgerAccount", LedgerMapping.wallet(ada.id(), "CNY").value().toString()));
        String all = adas.records().toString();
        assertThat(all).doesNotContain(bobsPayment.get("id").asString()).doesNotContain(bob.id().value())
                .doesNotContain(LedgerMapping.wallet(bob.id(), "CNY").value().toString()).doesNotContain("funder");

        Map<String, List<Map<String, Object>>> bobs = byKind(holder.export(new DataSubject(bob.id().value())));
        assertThat(bobs.get("payment")).extracting(r -> r.get("id")).containsExactly(bobsPayment.get("id").asString());
        assertThat(bobs.get("wallet")).singleElement().satisfies(w -> assertThat(w).containsEntry("balance", 200L));
        assertThat(holder.export(new DataSubject(PaymentFixtures.payer().id().value())).records()).isEmpty();
    }

    @Test
    void erasureKeepsEveryPaymentRecordAndCountsThemWithTheRetentionBasis() {
        Payer ada = PaymentFixtures.payer();
        Payer bob = PaymentFixtures.payer();
        fixtures.credit(ada, 1000, "CNY");
        fixtures.credit(bob, 1000, "CNY");
        JsonNode first = paid(ada, 400);
        refund(first, 100);
        paid(ada, 300);
        paid(bob, 100);
        HeldData before = holder.export(new DataSubject(ada.id().value()));

        Erasure erasure = holder.erase(new DataSubject(ada.id().value()));

        assertThat(erasure.holder()).isEqualTo("payments.records");
        assertThat(erasure.deleted()).isEmpty();
        assertThat(erasure.subjectKeys()).isEmpty();
        Map<String, Long> retained = erasure.retained().stream().collect(Collectors.toMap(Erasure.Retained::table, Erasure.Retained::rows));
        assertThat(retained).containsEntry("payments_intent", 2L).containsEntry("payments_refund", 1L)
                .containsEntry("payments_wallet_credit", 1L).containsEntry("ledger_accounts", 1L);
        assertThat(retained.get("payments_intent_transition")).isEqualTo(count("SELECT count(*) FROM payments_intent_transition t "
                + "JOIN payments_intent i USING (intent_id) WHERE i.payer_id = ?", ada)).isPositive();
        assertThat(retained.get("payments_intent_transfer")).isEqualTo(count("SELECT count(*) FROM payments_intent_transfer t "
                + "JOIN payments_intent i USING (intent_id) WHERE i.payer_id = ?", ada)).isPositive();
        // The credit, two charges and a refund moved the wallet's money: at least four transfers, as the ledger lists them.
        assertThat(retained.get("ledger_transfers"))
                .isEqualTo(ledger.transfers(LedgerMapping.wallet(ada.id(), "CNY"), 500).size()).isGreaterThanOrEqualTo(4L);
        assertThat(erasure.retained()).allSatisfy(r -> assertThat(r.basis()).contains("anti-money-laundering").contains("five years"));
        assertThat(holder.export(new DataSubject(ada.id().value())).records()).as("nothing deleted").isEqualTo(before.records());

        Map<String, Long> nobody = holder.erase(new DataSubject(PaymentFixtures.payer().id().value())).retained().stream()
                .collect(Collectors.toMap(Erasure.Retained::table, Erasure.Retained::rows));
        assertThat(nobody.values()).containsOnly(0L);
        assertThat(nobody.keySet()).isEqualTo(holder.tables());
    }

    private long count(String sql, Payer payer) {
        return jdbc.sql(sql).param(payer.id().value()).query(Long.class).single();
    }
}
