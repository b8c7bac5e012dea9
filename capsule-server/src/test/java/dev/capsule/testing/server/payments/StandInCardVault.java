package dev.capsule.testing.server.payments;

import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.internal.vault.CardVault;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * TEST-ONLY stand-in for the vault helper's {@link CardVault} until its branch is merged ({@link PaymentsStandIns}
 * registers it only when no such bean exists): tokens in memory with the same scope rule (a token resolves only for its
 * merchant and payer; anything else answers like an unknown token). No sealing, no keyed index, no audit: it holds test
 * card numbers only, in this JVM.
 */
public final class StandInCardVault implements CardVault {
    private record Entry(CardView view, MerchantId merchant, PayerId payer, OpenedCard card, long order) {
    }

    private final Map<CardToken, Entry> cards = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    @Override
    public CardView add(PayerId payer, MerchantId merchant, CardDetails card) {
        CardToken token = CardToken.random();
        CardView view = new CardView(token, "visa", card.number().bin(), card.number().last4(), card.expiry());
        cards.put(token, new Entry(view, merchant, payer, new OpenedCard(card.number(), card.expiry(), card.holderName()), order.incrementAndGet()));
        return view;
    }

    @Override
    public List<CardView> list(PayerId payer, MerchantId merchant, int limit) {
        return cards.values().stream().filter(entry -> entry.payer().equals(payer) && entry.merchant().equals(merchant))
                .sorted(Comparator.comparingLong(Entry::order).reversed()).limit(limit).map(Entry::view).toList();
    }

    @Override
    public boolean remove(PayerId payer, MerchantId merchant, CardToken token) {
        return resolve(token, merchant, Optional.of(payer)).map(entry -> cards.remove(token) != null).orElse(false);
    }

    @Override
    public Optional<CardView> view(CardToken token, MerchantId merchant, Optional<PayerId> payer) {
        return resolve(token, merchant, payer).map(Entry::view);
    }

    @Override
    public <T> Optional<T> withCard(CardToken token, MerchantId merchant, Optional<PayerId> payer, PaymentIntentId intent,
            Function<OpenedCard, T> use) {
        return resolve(token, merchant, payer).map(entry -> use.apply(entry.card()));
    }

    private Optional<Entry> resolve(CardToken token, MerchantId merchant, Optional<PayerId> payer) {
        return Optional.ofNullable(cards.get(token))
                .filter(entry -> entry.merchant().equals(merchant) && payer.map(entry.payer()::equals).orElse(false));
    }
}
