package dev.capsule.server.payments.internal.intents;

import static dev.capsule.server.payments.internal.intents.IntentStatus.CANCELED;
import static dev.capsule.server.payments.internal.intents.IntentStatus.PROCESSING;
import static dev.capsule.server.payments.internal.intents.IntentStatus.REQUIRES_ACTION;
import static dev.capsule.server.payments.internal.intents.IntentStatus.REQUIRES_CAPTURE;
import static dev.capsule.server.payments.internal.intents.IntentStatus.REQUIRES_CONFIRMATION;
import static dev.capsule.server.payments.internal.intents.IntentStatus.REQUIRES_PAYMENT_METHOD;
import static dev.capsule.server.payments.internal.intents.IntentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The state machine's table is exactly the one docs/payments.md prints, with Stripe's status names. */
class IntentStatusTest {
    static final Map<IntentStatus, Set<IntentStatus>> DOCUMENTED = Map.of(
            REQUIRES_PAYMENT_METHOD, EnumSet.of(PROCESSING, SUCCEEDED, REQUIRES_CAPTURE, CANCELED),
            REQUIRES_CONFIRMATION, EnumSet.of(PROCESSING, SUCCEEDED, REQUIRES_CAPTURE, CANCELED),
            REQUIRES_ACTION, EnumSet.of(PROCESSING, CANCELED),
            PROCESSING, EnumSet.of(SUCCEEDED, REQUIRES_CAPTURE, REQUIRES_ACTION, REQUIRES_PAYMENT_METHOD),
            REQUIRES_CAPTURE, EnumSet.of(SUCCEEDED, CANCELED),
            SUCCEEDED, EnumSet.noneOf(IntentStatus.class),
            CANCELED, EnumSet.noneOf(IntentStatus.class));

    @Test
    void theTransitionTableIsTheDocumentedOne() {
        assertThat(Arrays.stream(IntentStatus.values()).collect(Collectors.toMap(s -> s, IntentStatus::next))).isEqualTo(DOCUMENTED);
        for (IntentStatus from : IntentStatus.values()) {
            for (IntentStatus to : IntentStatus.values()) {
                assertThat(from.canChangeTo(to)).as(from + "->" + to).isEqualTo(DOCUMENTED.get(from).contains(to));
            }
        }
    }

    @Test
    void statusNamesAreStripes() {
        assertThat(Arrays.stream(IntentStatus.values()).map(IntentStatus::wire)).containsExactly("requires_payment_method",
                "requires_confirmation", "requires_action", "processing", "requires_capture", "succeeded", "canceled");
        assertThat(IntentStatus.ofWire("requires_source")).isEmpty();
        assertThat(IntentStatus.ofWire("succeeded")).contains(SUCCEEDED);
    }

    @Test
    void everyTransitionIntoAnAnnouncedStatusHasItsWebhookType() {
        assertThat(IntentTransitions.webhookType(SUCCEEDED)).contains("payment_intent.succeeded");
        assertThat(IntentTransitions.webhookType(REQUIRES_CAPTURE)).contains("payment_intent.amount_capturable_updated");
        assertThat(IntentTransitions.webhookType(REQUIRES_ACTION)).contains("payment_intent.requires_action");
        assertThat(IntentTransitions.webhookType(REQUIRES_PAYMENT_METHOD)).contains("payment_intent.payment_failed");
        assertThat(IntentTransitions.webhookType(CANCELED)).contains("payment_intent.canceled");
        assertThat(IntentTransitions.webhookType(PROCESSING)).isEmpty();
    }
}
