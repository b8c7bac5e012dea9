package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The state machine refuses any transition its table does not have, before writing anything, and only inside a transaction. */
@CapsuleServerTest
class IntentTransitionsTest {
    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;
    @Autowired
    PaymentSheets sheets;
    @Autowired
    CardVault vault;
    @Autowired
    IntentStore store;
    @Autowired
    IntentTransitions transitions;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aTransitionOutsideTheTableIsRefusedAndNothingIsWritten() {
        PaymentFixtures fixtures = new PaymentFixtures(https, jdbc, encryption, sheets, vault);
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
        PaymentFixtures fixtures = new PaymentFixtures(https, jdbc, encryption, sheets, vault);
        JsonNode created = fixtures.create(fixtures.shop(), 100, "");
        PaymentIntent intent = store.find(PaymentFixtures.id(created)).orElseThrow();
        assertThatThrownBy(() -> transitions.move(intent, IntentStatus.CANCELED, "test", Optional.empty(), change -> {
        })).isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
        assertThat(store.find(intent.id()).orElseThrow().status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
    }
}
