package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentCards;
import dev.capsule.server.payments.PaymentIntentId;
import java.util.Optional;
import java.util.function.Function;

/**
 * The vault inside the payments module: {@link PaymentCards} for the host, plus what the payment flow needs.
 *
 * <p>Security guarantees: a token resolves only for its merchant and, when scoped to one, its payer; any other use
 * answers exactly like an unknown token (empty). {@link #withCard} is the only detokenization: the card lives only
 * inside {@code use} (the acquirer call), and every call is audited as {@code card.detokenize} naming the intent.
 */
public interface CardVault extends PaymentCards {
    Optional<CardView> view(CardToken token, MerchantId merchant, Optional<PayerId> payer);

    /** Opens the card for one acquirer call of {@code intent}; empty when the token does not resolve for this scope. */
    <T> Optional<T> withCard(CardToken token, MerchantId merchant, Optional<PayerId> payer, PaymentIntentId intent,
            Function<OpenedCard, T> use);
}
