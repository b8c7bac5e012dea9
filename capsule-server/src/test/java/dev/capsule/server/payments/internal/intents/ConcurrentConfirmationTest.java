package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.acquirer.TestAcquirer;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** The proof: 1,000 concurrent confirmations of one intent charge it exactly once. */
@CapsuleServerTest
class ConcurrentConfirmationTest {
    static final int CONFIRMATIONS = 1_000;
    /**
     * Callers at once. The server's pool has 10 connections, so a confirmation holds one while it waits for the
     * intent's row lock: 16 callers keep the lock contended all the time without queueing for a connection long
     * enough to time out on a loaded 2-core CI machine (the 1,000 still overlap; only the first may pay).
     */
    static final int THREADS = 16;

    @Autowired
    ApplicationContext context;
    @Autowired
    Ledger ledger;
    @Autowired
    Acquirer acquirer;
    @Autowired
    PaymentIntents intents;

    PaymentFixtures fixtures;

    @BeforeEach
    void setUpFixtures() {
        fixtures = new PaymentFixtures(context);
    }

    /**
     * The test's other requests pay the per-address rate bucket of 127.0.0.1, which every test class sharing this context
     * also uses: refill it (remove it; the next request creates it full), so later classes are not refused 429.
     */
    @AfterEach
    void refillTheAddressBucket() {
        fixtures.jdbc.sql("DELETE FROM rate_bucket WHERE bucket = 'ip:127.0.0.1'").update();
    }

    /** Runs {@code count} calls at once (all threads released together) and answers their results. */
    private static <T> List<T> atOnce(int count, Function<Integer, T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return call.apply(n);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    /** {@code transitions}: a card's path through processing, or a wallet payment's single step. */
    private void assertChargedOnce(PaymentFixtures.Shop shop, JsonNode intent, String chargedPurpose, String... transitions) {
        assertThat(intents.transfers(PaymentFixtures.id(intent))).extracting(IntentStore.PaymentTransfer::purpose).containsExactly(chargedPurpose);
        assertThat(intents.transitions(PaymentFixtures.id(intent))).extracting(t -> t.from().wire() + "->" + t.to().wire())
                .containsExactly(transitions);
        assertThat(ledger.account(LedgerMapping.merchant(shop.merchant().id(), "CNY")).orElseThrow().creditBalance()).isEqualTo(1234);
        assertThat(PaymentFixtures.webhookTypes(fixtures.jdbc, shop.merchant().id()))
                .containsExactly("payment_intent.created", "payment_intent.succeeded");
        assertThat(AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("payment-intent.transition")
                && AuditEvents.text(e, "object").equals(intent.get("id").asString())
                && AuditEvents.text(e, "detail").equals(transitions[transitions.length - 1]))).hasSize(1);
        assertThat(ledger.verify().problems()).isEmpty();
    }

    @Test
    void aThousandConcurrentMerchantConfirmationsChargeTheCardOnce() throws Exception {
        PaymentFixtures.Shop shop = fixtures.shop();
        Payer payer = PaymentFixtures.payer();
        JsonNode intent = fixtures.create(shop, 1234, "");
        fixtures.prepare(shop, payer, intent);
        CardToken card = fixtures.card(shop, payer, TestAcquirer.APPROVE);
        String path = "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm";
        String body = "{\"paymentMethod\":\"" + card.value() + "\"}";

        List<HttpResponse<String>> responses = atOnce(CONFIRMATIONS, n -> fixtures.post(shop, path, body));

        // The merchant's own rate limit (a burst of 600) refuses the rest (429) before they reach the intent; every
        // other one reached the intent and found it paid. (The sheet test below has all 1,000 reach it.)
        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses.get(200)).isEqualTo(1L);
        assertThat(statuses.keySet()).isSubsetOf(200, 409, 429);
        assertThat(statuses.get(409)).as("confirmations that reached the intent and found it paid").isGreaterThanOrEqualTo(CONFIRMATIONS / 2);
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).map(r -> TestHttps.json(r).get("status").asString()))
                .containsExactly("succeeded");
        assertThat(responses.stream().filter(r -> r.statusCode() == 409).map(r -> TestHttps.json(r).get("type").asString()).distinct())
                .containsExactly("https://capsule.dev/problems/payment-intent-unexpected-state");
        assertThat(((TestAcquirer) acquirer).approvedCount(intent.get("id").asString())).isEqualTo(1);
        assertChargedOnce(shop, intent, "charge", "requires_payment_method->processing", "processing->succeeded");
    }

    @Test
    void aThousandConcurrentSheetConfirmationsDebitTheWalletOnce() throws Exception {
        PaymentFixtures.Shop shop = fixtures.shop();
        Payer payer = PaymentFixtures.payer();
        assertThat(fixtures.credit(payer, 100_000, "CNY").statusCode()).isEqualTo(201);
        JsonNode intent = fixtures.create(shop, 1234, "");
        fixtures.prepare(shop, payer, intent);

        List<PaymentSheets.Confirmation> outcomes = atOnce(CONFIRMATIONS, n -> fixtures.sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent),
                new PaymentSheets.MethodChoice.Wallet(), Optional.empty()));

        assertThat(outcomes.stream().filter(PaymentSheets.Confirmation.Paid.class::isInstance)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !(o instanceof PaymentSheets.Confirmation.Paid)).distinct())
                .containsExactly(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.ALREADY_PAID));
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 100_000L - 1234);
        assertChargedOnce(shop, intent, "charge", "requires_payment_method->succeeded");
    }
}
