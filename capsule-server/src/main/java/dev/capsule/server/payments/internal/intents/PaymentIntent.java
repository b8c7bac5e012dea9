package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PrepayId;
import dev.capsule.server.registry.MiniProgramId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A payment intent as stored (one row of {@code payments_intent}).
 *
 * @param payerAppUser  the pairwise user id the merchant named at creation, if any
 * @param payer         the platform payer the sheet bound the intent to, if any (never shown to the merchant)
 * @param paymentMethod {@code wallet} or a {@code tok_} token, once one is attached
 * @param lastError     a fixed-vocabulary code of the last failed attempt
 * @param challengeId   the acquirer's open challenge while {@code requires_action}
 * @param attempt       the current attempt's number; the acquirer reference is {@code intent:attempt}
 */
public record PaymentIntent(PaymentIntentId id, PrepayId prepay, MerchantId merchant, MiniProgramId app,
        Optional<String> payerAppUser, Optional<PayerId> payer, IntentStatus status, long amount, String currency,
        CaptureMethod captureMethod, long amountCapturable, long amountReceived, long amountRefunded, String description,
        Optional<String> paymentMethod, Optional<String> lastError, Optional<String> challengeId, int attempt,
        Optional<String> cancellationReason, Map<String, String> metadata, Instant created, Instant expiresAt) {

    public enum CaptureMethod {
        AUTOMATIC, MANUAL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PaymentIntent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        metadata = Map.copyOf(metadata);
    }

    /** The acquirer's idempotency key of the current attempt. */
    public String acquirerReference() {
        return id.value() + ":" + attempt;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** A copy to change the mutable fields of (status only through {@link IntentTransitions}). */
    Changes change() {
        return new Changes(this);
    }

    /** The fields a payment changes; everything else of an intent is fixed at creation. */
    static final class Changes {
        private final PaymentIntent from;
        Optional<PayerId> payer;
        IntentStatus status;
        long amountCapturable;
        long amountReceived;
        long amountRefunded;
        Optional<String> paymentMethod;
        Optional<String> lastError;
        Optional<String> challengeId;
        int attempt;
        Optional<String> cancellationReason;

        private Changes(PaymentIntent from) {
            this.from = from;
            payer = from.payer;
            status = from.status;
            amountCapturable = from.amountCapturable;
            amountReceived = from.amountReceived;
            amountRefunded = from.amountRefunded;
            paymentMethod = from.paymentMethod;
            lastError = from.lastError;
            challengeId = from.challengeId;
            attempt = from.attempt;
            cancellationReason = from.cancellationReason;
        }

        PaymentIntent apply() {
            return new PaymentIntent(from.id, from.prepay, from.merchant, from.app, from.payerAppUser, payer, status, from.amount,
                    from.currency, from.captureMethod, amountCapturable, amountReceived, amountRefunded, from.description,
                    paymentMethod, lastError, challengeId, attempt, cancellationReason, from.metadata, from.created, from.expiresAt);
        }
    }
}
