package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.Payer;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PayerStepUp;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The risk rule's step-up: a payment of at least {@code capsule.payments.step-up-amount-minor} needs {@link PayerStepUp}
 * to verify the payer's answer; without a {@code PayerStepUp} bean it is refused (fail closed). The sheet service is
 * built here with a threshold of 500 and with or without a step-up (the shared context has none until the host's).
 */
@CapsuleServerTest
class PayerStepUpTest {
    static final long THRESHOLD = 500;

    @Autowired
    ApplicationContext context;
    @Autowired
    IntentStore store;
    @Autowired
    PaymentIntents intents;
    @Autowired
    IntentTransitions transitions;
    @Autowired
    MerchantDirectory merchants;
    @Autowired
    Ledger ledger;
    @Autowired
    ApplicationEventPublisher audit;
    @Autowired
    JsonMapper json;
    @Autowired
    TransactionTemplate transactions;

    PaymentFixtures fixtures;
    PaymentFixtures.Shop shop;
    Payer payer;

    /** A step-up that issues one code per payer and intent and accepts it once. */
    static final class CodeStepUp implements PayerStepUp {
        final Map<String, String> issued = new ConcurrentHashMap<>();
        final JsonMapper json = JsonMapper.builder().build();

        @Override
        public Optional<JsonNode> challenge(PayerId payer, PaymentIntentId intent) {
            String code = PaymentFixtures.letters(6);
            issued.put(payer.value() + "/" + intent.value(), code);
            return Optional.of(json.createObjectNode().put("type", "code"));
        }

        @Override
        public boolean verify(PayerId payer, PaymentIntentId intent, JsonNode answer) {
            String expected = issued.remove(payer.value() + "/" + intent.value());
            return expected != null && answer.get("code") != null && expected.equals(answer.get("code").asString());
        }
    }

    @BeforeEach
    void setUp() {
        fixtures = new PaymentFixtures(context);
        shop = fixtures.shop();
        payer = PaymentFixtures.payer();
        fixtures.credit(payer, 10_000, "CNY");
    }

    private PaymentSheets sheets(Optional<PayerStepUp> stepUp) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        stepUp.ifPresent(bean -> beans.addBean("stepUp", bean));
        PaymentSheetService service = new PaymentSheetService(store, intents, transitions, merchants, fixtures.vault, ledger,
                new PaymentSettings(THRESHOLD, PaymentSettings.CAPTURE_HOLD_HOURS), beans.getBeanProvider(PayerStepUp.class), audit, json);
        return new PaymentSheets() {
            private <T> T tx(Supplier<T> call) {
                return transactions.execute(status -> call.get());
            }

            @Override
            public Prepared prepare(dev.capsule.server.registry.MiniProgramId app, Payer who, dev.capsule.runtime.host.PaymentSheet.Request request) {
                return tx(() -> service.prepare(app, who, request));
            }

            @Override
            public Confirmation confirm(dev.capsule.server.registry.MiniProgramId app, Payer who, PaymentIntentId intent, MethodChoice method,
                    Optional<JsonNode> answer) {
                return tx(() -> service.confirm(app, who, intent, method, answer));
            }

            @Override
            public Confirmation completeAction(dev.capsule.server.registry.MiniProgramId app, Payer who, PaymentIntentId intent, JsonNode answer) {
                return tx(() -> service.completeAction(app, who, intent, answer));
            }
        };
    }

    private PaymentSheets.Confirmation payWithWallet(PaymentSheets sheets, JsonNode intent, Optional<JsonNode> answer) {
        return sheets.confirm(shop.app(), payer, PaymentFixtures.id(intent), new PaymentSheets.MethodChoice.Wallet(), answer);
    }

    @Test
    void withoutAPayerStepUpARiskyPaymentIsRefusedAndNothingIsCharged() {
        PaymentSheets sheets = sheets(Optional.empty());
        JsonNode risky = fixtures.create(shop, THRESHOLD, "");
        assertThat(sheets.prepare(shop.app(), payer, fixtures.signedRequest(shop, risky)))
                .isEqualTo(new PaymentSheets.Prepared.Unpayable(PaymentSheets.STEP_UP_FAILED));
        assertThat(payWithWallet(sheets, risky, Optional.of(json.createObjectNode().put("code", "anything"))))
                .isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.STEP_UP_FAILED));
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 10_000L);
        assertThat(AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("payment-sheet.refuse")
                && AuditEvents.text(e, "object").equals(risky.get("id").asString())))
                .extracting(e -> AuditEvents.text(e, "reason")).containsExactly("step-up-unavailable", "step-up-unavailable");
        // Below the threshold no step-up is asked.
        JsonNode small = fixtures.create(shop, THRESHOLD - 1, "");
        assertThat(sheets.prepare(shop.app(), payer, fixtures.signedRequest(shop, small))).isInstanceOf(PaymentSheets.Prepared.Ready.class);
        assertThat(payWithWallet(sheets, small, Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.Paid());
    }

    @Test
    void aRiskyPaymentIsChargedOnlyAfterThePayerStepUpVerifiesTheAnswer() {
        CodeStepUp stepUp = new CodeStepUp();
        PaymentSheets sheets = sheets(Optional.of(stepUp));
        JsonNode risky = fixtures.create(shop, 2_000, "");
        PaymentSheets.Prepared prepared = sheets.prepare(shop.app(), payer, fixtures.signedRequest(shop, risky));
        assertThat(prepared).isInstanceOf(PaymentSheets.Prepared.Ready.class);
        assertThat(((PaymentSheets.Prepared.Ready) prepared).order().stepUp()).isPresent();
        assertThat(payWithWallet(sheets, risky, Optional.empty())).isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.STEP_UP_FAILED));
        assertThat(payWithWallet(sheets, risky, Optional.of(json.createObjectNode().put("code", "wrong!"))))
                .isEqualTo(new PaymentSheets.Confirmation.NotPaid(PaymentSheets.STEP_UP_FAILED));
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 10_000L);
        sheets.prepare(shop.app(), payer, fixtures.signedRequest(shop, risky));
        String code = stepUp.issued.get(payer.id().value() + "/" + risky.get("id").asString());
        assertThat(payWithWallet(sheets, risky, Optional.of(json.createObjectNode().put("code", code))))
                .isEqualTo(new PaymentSheets.Confirmation.Paid());
        assertThat(intents.balances(payer.id())).containsEntry("CNY", 8_000L);
    }
}
