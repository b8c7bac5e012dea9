package dev.capsule.server.payments;

import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import java.util.Optional;

/**
 * What the payments module publishes for the audit log (the audit module writes each as one entry, the payer only as a
 * pseudonym). Published synchronously inside the transaction of the change it records, so a change and its entry
 * commit together.
 *
 * @param kind     what happened
 * @param outcome  {@code success}, {@code failure} or {@code denied}
 * @param merchant the merchant, when there is one
 * @param app      the mini-program, when there is one
 * @param payer    the payer, when there is one
 * @param subject  the public id of the thing acted on ({@code pi_…}, {@code tok_…}, {@code re_…}, {@code mk_…},
 *                 {@code we_…}), or empty
 * @param detail   a fixed-vocabulary detail: for a transition {@code from->to}, for a refusal its code; never text a
 *                 merchant, a mini-program or a user chose, never card data
 * @param actor    the access module's actor id when an operator or API key acted ({@code operator:<uuid>},
 *                 {@code apikey:<id>}), or empty
 */
public record PaymentEvent(PaymentKind kind, String outcome, Optional<MerchantId> merchant, Optional<MiniProgramId> app,
        Optional<PayerId> payer, Optional<String> subject, Optional<String> detail, Optional<String> actor) {
    public enum PaymentKind {
        /** An operator registered a merchant for a developer organisation. */
        MERCHANT_REGISTER,
        /** An operator disabled or re-enabled a merchant (detail: disabled, enabled). */
        MERCHANT_STATE,
        /** A signing key was added to a merchant (detail: ed25519, hmac-sha256). */
        MERCHANT_KEY_ADD,
        /** A merchant key was revoked. */
        MERCHANT_KEY_REVOKE,
        /** A card was tokenized (detail: new, existing) or refused (detail: the reason). */
        CARD_TOKENIZE,
        /** A card number was opened inside the payment flow for the acquirer (subject: the token; detail: the intent). */
        CARD_DETOKENIZE,
        /** A payer removed a card token. */
        CARD_REMOVE,
        /** A payment intent was created. */
        INTENT_CREATE,
        /** A payment intent changed state (detail: {@code from->to}). */
        INTENT_TRANSITION,
        /** A refund was created (subject: the refund; detail: the intent). */
        REFUND_CREATE,
        /** A wallet was credited by the super-app's backend. */
        WALLET_CREDIT,
        /** A webhook endpoint was added, or its secret rotated (detail: added, rotated). */
        WEBHOOK_ENDPOINT_CHANGE,
        /** A webhook endpoint was disabled (detail: gone (410), failing, operator). */
        WEBHOOK_ENDPOINT_DISABLE,
        /** The payment sheet refused a request (detail: the refusal code). */
        SHEET_REFUSE
    }

    public PaymentEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(actor, "actor");
    }
}
