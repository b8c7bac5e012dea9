package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.testing.server.CapsuleServerTest;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The state machine refuses any transition its table does not have, before writing anything, and only inside a transaction. */
@CapsuleServerTest
class IntentTransitionsTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    IntentStore store;
    @Autowired
    IntentTransitions transitions;
    @Autowired
    TransactionTemplate transactions;

    PaymentFixtures fixtures;

    @BeforeEach
    void setUpFixtures() {
        fixtures = new PaymentFixtures(context);
    }

    @Test
    void aTransitionOutsideTheTableIsRefusedAndNothingIsWritten() {
        JsonNode created = fixtures.create(fixtures.shop(), 100, "");
        for (IntentStatus to : IntentStatus.values()) {
            if (IntentStatus.REQUIRES_PAYMENT_METHOD.canChangeTo(to)) {
                continue;
            }
            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                PaymentIntent locked = store.lock(PaymentFixtures.id(created)).orElseThrow();
                transitions.move(locked, to, "test", Optional.empty(), change -> change.amountReceived = 100);
            })).as("requires_payment_method->" + to.wire()).isInstanceOf(IllegalStateException.class);
        }
        PaymentIntent after = store.find(PaymentFixtures.id(created)).orElseThrow();
        assertThat(after.status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
        assertThat(after.amountReceived()).isZero();
        assertThat(store.transitions(after.id())).isEmpty();
    }

    @Test
    void aTransitionOutsideATransactionIsRefused() {
        JsonNode created = fixtures.create(fixtures.shop(), 100, "");
        PaymentIntent intent = store.find(PaymentFixtures.id(created)).orElseThrow();
        assertThatThrownBy(() -> transitions.move(intent, IntentStatus.CANCELED, "test", Optional.empty(), change -> {
        })).isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
        assertThat(store.find(intent.id()).orElseThrow().status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
    }
}
