package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.payments.PaymentEvent;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the payments module's {@link PaymentEvent}s to the log, in the publisher's thread and transaction (the
 * listener runs synchronously), so a payment change and its entry commit together or not at all.
 *
 * <p>Security guarantees: the payer appears only as a pseudonym ({@link Pseudonyms#tag} of {@code "shell-user:" + id},
 * the same pseudonym as the host's entries, so one person's payments and sessions line up without naming them); the
 * merchant and the object are public ids checked for their form; a detail is a fixed-vocabulary code or bounded text,
 * never card data (the payments module never puts any in an event); the actor is an API key's public id or an
 * operator's id, never a secret.
 */
@Component
class PaymentEventAudit {
    private final PendingQueue queue;
    private final Pseudonyms pseudonyms;

    PaymentEventAudit(PendingQueue queue, Pseudonyms pseudonyms) {
        this.queue = queue;
        this.pseudonyms = pseudonyms;
    }

    @EventListener
    void on(PaymentEvent event) {
        UUID eventId = UUID.randomUUID();
        EntryFields fields = new EntryFields(eventId, type(event.kind()))
                .outcome(ModuleEventFields.outcome(event.outcome()))
                .merchant(event.merchant().map(Object::toString).orElse(null))
                .app(event.app().map(Object::toString).orElse(null))
                .user(event.payer().map(payer -> pseudonyms.tag("shell-user:" + payer.value())).orElse(null))
                .object(event.subject().orElse(null));
        ModuleEventFields.reasonOrDetail(fields, event.outcome(), event.detail());
        ModuleEventFields.actor(fields, event.actor());
        queue.add(eventId, fields);
    }

    static AuditEventType type(PaymentEvent.PaymentKind kind) {
        return switch (kind) {
            case MERCHANT_REGISTER -> AuditEventType.MERCHANT_REGISTER;
            case MERCHANT_STATE -> AuditEventType.MERCHANT_STATE;
            case MERCHANT_KEY_ADD -> AuditEventType.MERCHANT_KEY_ADD;
            case MERCHANT_KEY_REVOKE -> AuditEventType.MERCHANT_KEY_REVOKE;
            case CARD_TOKENIZE -> AuditEventType.CARD_TOKENIZE;
            case CARD_DETOKENIZE -> AuditEventType.CARD_DETOKENIZE;
            case CARD_REMOVE -> AuditEventType.CARD_REMOVE;
            case INTENT_CREATE -> AuditEventType.PAYMENT_INTENT_CREATE;
            case INTENT_TRANSITION -> AuditEventType.PAYMENT_INTENT_TRANSITION;
            case REFUND_CREATE -> AuditEventType.REFUND_CREATE;
            case WALLET_CREDIT -> AuditEventType.WALLET_CREDIT;
            case WEBHOOK_ENDPOINT_CHANGE -> AuditEventType.WEBHOOK_ENDPOINT_CHANGE;
            case WEBHOOK_ENDPOINT_DISABLE -> AuditEventType.WEBHOOK_ENDPOINT_DISABLE;
            case SHEET_REFUSE -> AuditEventType.PAYMENT_SHEET_REFUSE;
        };
    }
}
