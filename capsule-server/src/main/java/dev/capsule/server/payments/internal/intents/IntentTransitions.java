package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.payments.internal.webhooks.WebhookOutbox;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place an intent's row is written after creation: {@link #move} checks the transition against
 * {@link IntentStatus#next()}, writes the row, records the transition, publishes the audit event
 * ({@code payment-intent.transition}, detail {@code from->to}) and queues the webhook of the new status, all in the
 * caller's transaction (which holds the intent's row lock), so they commit together or not at all.
 *
 * <p>Security guarantees: a transition the table does not allow throws before anything is written; no status changes
 * without its audit entry and its transition row.
 */
@Component
class IntentTransitions {
    private final IntentStore store;
    private final IntentJson json;
    private final WebhookOutbox webhooks;
    private final ApplicationEventPublisher audit;
    private final Clock clock = Clock.systemUTC();

    IntentTransitions(IntentStore store, IntentJson json, WebhookOutbox webhooks, ApplicationEventPublisher audit) {
        this.store = store;
        this.json = json;
        this.webhooks = webhooks;
        this.audit = audit;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Changes {@code locked} to {@code to} with the other changes {@code edit} makes.
     *
     * @param reason a fixed-vocabulary code recorded with the transition (confirm, acquirer-approved, card-declined…)
     * @param actor  the operator's actor id when one acted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    PaymentIntent move(PaymentIntent locked, IntentStatus to, String reason, Optional<String> actor, Consumer<PaymentIntent.Changes> edit) {
        IntentStatus from = locked.status();
        if (!from.canChangeTo(to)) {
            throw new IllegalStateException("no transition " + from.wire() + " -> " + to.wire() + " in the state machine");
        }
        PaymentIntent.Changes changes = locked.change();
        edit.accept(changes);
        changes.status = to;
        PaymentIntent changed = changes.apply();
        Instant now = now();
        store.update(changed, now);
        store.insertTransition(changed.id(), from, to, reason, now);
        boolean failed = to == IntentStatus.REQUIRES_PAYMENT_METHOD;
        audit.publishEvent(new PaymentEvent(PaymentEvent.What.INTENT_TRANSITION, failed ? "failure" : "success",
                Optional.of(changed.merchant()), Optional.of(changed.app()), changed.payer(), Optional.of(changed.id().value()),
                Optional.of(from.wire() + "->" + to.wire()), actor));
        webhookType(to).ifPresent(type -> webhooks.enqueue(changed.merchant(), type, json.intent(changed)));
        return changed;
    }

    /** Writes changes that are not a transition (a payer bound, a retried attempt's error, a refunded amount). */
    @Transactional(propagation = Propagation.MANDATORY)
    PaymentIntent update(PaymentIntent locked, Consumer<PaymentIntent.Changes> edit) {
        PaymentIntent.Changes changes = locked.change();
        edit.accept(changes);
        if (changes.status != locked.status()) {
            throw new IllegalStateException("a status changes only through move");
        }
        PaymentIntent changed = changes.apply();
        store.update(changed, now());
        return changed;
    }

    /** The Standard Webhooks event a transition announces (docs/payments.md, "Webhook events"), if any. */
    static Optional<String> webhookType(IntentStatus to) {
        return switch (to) {
            case REQUIRES_ACTION -> Optional.of("payment_intent.requires_action");
            case REQUIRES_CAPTURE -> Optional.of("payment_intent.amount_capturable_updated");
            case SUCCEEDED -> Optional.of("payment_intent.succeeded");
            case CANCELED -> Optional.of("payment_intent.canceled");
            case REQUIRES_PAYMENT_METHOD -> Optional.of("payment_intent.payment_failed");
            case REQUIRES_CONFIRMATION, PROCESSING -> Optional.empty();
        };
    }
}
