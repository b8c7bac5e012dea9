package dev.capsule.server.payments;

import java.util.List;

/**
 * The card vault as the host's shell uses it: the cardholder's own browser posts card details to the shell's one card
 * endpoint, which calls {@link #add}; nothing else in the platform accepts card details (merchants receive tokens only).
 *
 * <p>Security guarantees: the number is sealed under the {@code vault} key purpose bound to the token; the card code
 * is used for the acquirer's zero-amount verification only when given and is never stored or logged; the only index
 * is a keyed HMAC of the whole number (its own {@code card-index} key); the same card added again by the same payer
 * for the same merchant returns the existing token; every addition is audited.
 */
public interface PaymentCards {
    /** Tokenizes a card for {@code merchant}, scoped to {@code payer}. Throws {@code ProblemException} when refused. */
    CardView add(PayerId payer, MerchantId merchant, CardDetails card);

    /** The payer's cards for this merchant, newest first, at most {@code limit} (bounded by the vault). */
    List<CardView> list(PayerId payer, MerchantId merchant, int limit);

    /** Removes the payer's token; false when there is none (or it is not theirs). */
    boolean remove(PayerId payer, MerchantId merchant, CardToken token);
}
