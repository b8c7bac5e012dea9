package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.payments.CardDataAccess;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.merchants.Merchant;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The card vault on PostgreSQL (V95, table {@code payments_card}): {@link CardVault} and so the host's
 * {@code PaymentCards}.
 *
 * <p>Security guarantees: the card number and the name on the card are stored only sealed under the {@code vault} keys
 * at their token's place ({@link #numberPlace}, {@link #holderPlace}); the only index on the number is its
 * {@code card-index} tag ({@link KeyedIndex}), looked up under every unretired key; BIN, last four, brand and expiry are
 * the only card facts in clear. A card code is handed to {@link Acquirer#verify} and nowhere else: no column, no event,
 * no log line holds one; with a code and no acquirer the card is refused (fail closed). A token resolves only for its
 * merchant and its payer: a wrong merchant, a wrong payer and an unknown token answer empty alike. Every tokenization,
 * removal and detokenization (and every refused one) is published as a {@link PaymentEvent}, the changes' inside their
 * transaction.
 */
@Component
class JdbcCardVault implements CardVault {
    /** Cards one payer keeps for one merchant; one more is refused ({@link VaultProblems#CARD_LIMIT}). */
    static final int CARDS_PER_SCOPE_MAX = 20;
    /** Cards one {@link #list} answers at most. */
    static final int LIST_ROWS_MAX = CARDS_PER_SCOPE_MAX;
    /** How far ahead an expiry may lie: cards are issued for a few years, never decades. */
    static final int EXPIRY_YEARS_MAX = 20;
    static final String TABLE = "payments_card";

    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final KeyedIndex index;
    private final MerchantDirectory merchants;
    private final Optional<Acquirer> acquirer;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    @Autowired
    JdbcCardVault(JdbcClient jdbc, FieldEncryption fields, KeyedIndex index, MerchantDirectory merchants,
            Optional<Acquirer> acquirer, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this(jdbc, fields, index, merchants, acquirer, events, transactions, Clock.systemUTC());
    }

    JdbcCardVault(JdbcClient jdbc, FieldEncryption fields, KeyedIndex index, MerchantDirectory merchants,
            Optional<Acquirer> acquirer, ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.index = index;
        this.merchants = merchants;
        this.acquirer = acquirer;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Where a token's sealed card number lives (the AEAD's associated data: the number opens only in its own row). */
    static FieldPlace numberPlace(String token) {
        return new FieldPlace("platform", TABLE, token, "number");
    }

    /** Where a token's sealed name on the card lives. */
    static FieldPlace holderPlace(String token) {
        return new FieldPlace("platform", TABLE, token, "holder");
    }

    @Override
    public CardView add(PayerId payer, MerchantId merchant, CardDetails card) {
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(card, "card");
        if (!merchants.merchant(merchant).map(Merchant::enabled).orElse(false)) {
            throw refused(payer, merchant, VaultProblems.MERCHANT_UNAVAILABLE, "merchant-unavailable",
                    "the merchant does not take cards now");
        }
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (card.expiry().isBefore(now)) {
            throw refused(payer, merchant, VaultProblems.CARD_EXPIRY, "card-expired", "the card has expired");
        }
        if (card.expiry().isAfter(now.plusYears(EXPIRY_YEARS_MAX))) {
            throw refused(payer, merchant, VaultProblems.CARD_EXPIRY, "card-expiry-too-far",
                    "a card's expiry lies at most " + EXPIRY_YEARS_MAX + " years ahead");
        }
        CardToken fresh = CardToken.random();
        if (card.code().isPresent()) {
            verify(payer, merchant, fresh, card);
        }
        byte[] digits = card.number().digits(CardDataAccess.get()).getBytes(StandardCharsets.US_ASCII);
        byte[] holder = card.holderName().getBytes(StandardCharsets.UTF_8);
        try {
            return transactions.execute(status -> store(payer, merchant, fresh, card, digits, holder));
        } catch (ScopeFull full) {
            throw refused(payer, merchant, VaultProblems.CARD_LIMIT, "card-limit",
                    "at most " + CARDS_PER_SCOPE_MAX + " cards are kept for one merchant; remove one first");
        } finally {
            Arrays.fill(digits, (byte) 0);
        }
    }

    /** The acquirer's zero-amount check with the card code, which goes nowhere else and is dropped with {@code card}. */
    private void verify(PayerId payer, MerchantId merchant, CardToken fresh, CardDetails card) {
        if (acquirer.isEmpty()) {
            throw refused(payer, merchant, VaultProblems.CARD_VERIFICATION_UNAVAILABLE, "no-acquirer",
                    "no acquirer is configured to verify the card code");
        }
        OpenedCard opened = new OpenedCard(card.number(), card.expiry(), card.holderName());
        Acquirer.Result result = acquirer.get().verify("card-verify:" + fresh.value(), opened, card.code());
        switch (result) {
            case Acquirer.Result.Approved approved -> {
                // Verified: the code has served its one purpose.
            }
            // The issuer knows the card and will have its holder authenticate each payment: a valid card to save. The
            // zero-amount check's challenge is never answered and approves nothing; every payment with the card is
            // authorized on its own and goes through the issuer's challenge then (requires_action, completeAction).
            case Acquirer.Result.ChallengeRequired challenge -> {
            }
            case Acquirer.Result.Declined declined -> throw refused(payer, merchant, VaultProblems.CARD_DECLINED,
                    "card-declined", "the card issuer declined the card", Map.of("declineCode", code(declined.code())));
            case Acquirer.Result.TimedOut timedOut -> throw refused(payer, merchant,
                    VaultProblems.CARD_VERIFICATION_UNAVAILABLE, "acquirer-timeout", "the acquirer did not answer in time; try again");
        }
    }

    private CardView store(PayerId payer, MerchantId merchant, CardToken fresh, CardDetails card, byte[] digits, byte[] holder) {
        // One payer's additions for one merchant run one at a time: the duplicate check and the limit are exact.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:scope, 95))")
                .param("scope", TABLE + "\n" + merchant.value() + "\n" + payer.value()).query().singleRow();
        Optional<String> existing = existing(payer, merchant, digits);
        if (existing.isPresent()) {
            String token = existing.get();
            // The same card typed again: keep its token, take the expiry and name as typed now (a renewed card).
            jdbc.sql("UPDATE payments_card SET expiry_year = :y, expiry_month = :m, holder_sealed = :h WHERE token = :t")
                    .param("y", card.expiry().getYear()).param("m", card.expiry().getMonthValue())
                    .param("h", fields.seal(DataPurpose.VAULT, holder, holderPlace(token))).param("t", token).update();
            publish(PaymentEvent.PaymentKind.CARD_TOKENIZE, "success", merchant, payer, token, "existing");
            return view(token).orElseThrow();
        }
        long cards = jdbc.sql("SELECT count(*) FROM payments_card WHERE merchant_id = :m AND payer = :p")
                .param("m", merchant.value()).param("p", payer.value()).query(Long.class).single();
        if (cards >= CARDS_PER_SCOPE_MAX) {
            throw new ScopeFull();
        }
        String token = fresh.value();
        KeyedIndex.Tag tag = index.tag(DataPurpose.CARD_INDEX, digits);
        CardNumber number = card.number();
        jdbc.sql("""
                INSERT INTO payments_card (token, merchant_id, payer, number_sealed, holder_sealed, index_key_id, index_tag,
                                           bin, last4, brand, expiry_year, expiry_month, created_at)
                VALUES (:t, :m, :p, :n, :h, :k, :g, :bin, :last4, :brand, :y, :mo, :at)""")
                .param("t", token).param("m", merchant.value()).param("p", payer.value())
                .param("n", fields.seal(DataPurpose.VAULT, digits, numberPlace(token)))
                .param("h", fields.seal(DataPurpose.VAULT, holder, holderPlace(token)))
                .param("k", Integer.toUnsignedLong(tag.keyId())).param("g", tag.hex())
                .param("bin", number.bin()).param("last4", number.last4()).param("brand", CardBrand.of(number.bin()).code())
                .param("y", card.expiry().getYear()).param("mo", card.expiry().getMonthValue())
                .param("at", Timestamp.from(clock.instant())).update();
        publish(PaymentEvent.PaymentKind.CARD_TOKENIZE, "success", merchant, payer, token, "new");
        return view(token).orElseThrow();
    }

    /** The payer's token for this card at this merchant, found by its tag under any unretired {@code card-index} key. */
    private Optional<String> existing(PayerId payer, MerchantId merchant, byte[] digits) {
        List<KeyedIndex.Tag> candidates = index.candidates(DataPurpose.CARD_INDEX, digits);
        for (KeyedIndex.Tag tag : candidates) {
            Optional<String> found = jdbc.sql("""
                    SELECT token FROM payments_card WHERE merchant_id = :m AND payer = :p AND index_key_id = :k AND index_tag = :g
                    ORDER BY created_at DESC LIMIT 1""")
                    .param("m", merchant.value()).param("p", payer.value())
                    .param("k", Integer.toUnsignedLong(tag.keyId())).param("g", tag.hex()).query(String.class).optional();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<CardView> list(PayerId payer, MerchantId merchant, int limit) {
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(merchant, "merchant");
        if (limit < 1) {
            throw new IllegalArgumentException("a card list has at least one row");
        }
        return jdbc.sql(SELECT_VIEW + " WHERE merchant_id = :m AND payer = :p ORDER BY created_at DESC, token LIMIT :n")
                .param("m", merchant.value()).param("p", payer.value()).param("n", Math.min(limit, LIST_ROWS_MAX))
                .query(JdbcCardVault::view).list();
    }

    @Override
    public boolean remove(PayerId payer, MerchantId merchant, CardToken token) {
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(token, "token");
        Boolean removed = transactions.execute(status -> {
            int deleted = jdbc.sql("DELETE FROM payments_card WHERE token = :t AND merchant_id = :m AND payer = :p")
                    .param("t", token.value()).param("m", merchant.value()).param("p", payer.value()).update();
            if (deleted == 1) {
                publish(PaymentEvent.PaymentKind.CARD_REMOVE, "success", merchant, payer, token.value(), null);
            }
            return deleted == 1;
        });
        if (!Boolean.TRUE.equals(removed)) {
            publish(PaymentEvent.PaymentKind.CARD_REMOVE, "denied", merchant, payer, token.value(), "unknown-token");
            return false;
        }
        return true;
    }

    @Override
    public Optional<CardView> view(CardToken token, MerchantId merchant, Optional<PayerId> payer) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(payer, "payer");
        if (payer.isEmpty()) {
            // Every token is a payer's: without the payer it resolves for no one (as if unknown).
            return Optional.empty();
        }
        return jdbc.sql(SELECT_VIEW + " WHERE token = :t AND merchant_id = :m AND payer = :p")
                .param("t", token.value()).param("m", merchant.value()).param("p", payer.get().value())
                .query(JdbcCardVault::view).optional();
    }

    @Override
    public <T> Optional<T> withCard(CardToken token, MerchantId merchant, Optional<PayerId> payer, PaymentIntentId intent,
            Function<OpenedCard, T> use) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(use, "use");
        Optional<Sealed> sealed = payer.flatMap(p -> jdbc.sql("""
                        SELECT number_sealed, holder_sealed, expiry_year, expiry_month FROM payments_card
                        WHERE token = :t AND merchant_id = :m AND payer = :p""")
                .param("t", token.value()).param("m", merchant.value()).param("p", p.value())
                .query((rs, n) -> new Sealed(rs.getBytes(1), rs.getBytes(2), YearMonth.of(rs.getInt(3), rs.getInt(4))))
                .optional());
        if (sealed.isEmpty()) {
            publish(PaymentEvent.PaymentKind.CARD_DETOKENIZE, "denied", merchant, payer.orElse(null), token.value(), "unknown-token");
            return Optional.empty();
        }
        byte[] digits = fields.open(DataPurpose.VAULT, sealed.get().number(), numberPlace(token.value()));
        byte[] holder = fields.open(DataPurpose.VAULT, sealed.get().holder(), holderPlace(token.value()));
        OpenedCard card;
        try {
            card = new OpenedCard(CardNumber.parse(new String(digits, StandardCharsets.US_ASCII)), sealed.get().expiry(),
                    new String(holder, StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(digits, (byte) 0);
        }
        // Audited before the card leaves the vault, in the caller's transaction (the payment attempt it belongs to).
        publish(PaymentEvent.PaymentKind.CARD_DETOKENIZE, "success", merchant, payer.get(), token.value(), intent.value());
        return Optional.ofNullable(use.apply(card));
    }

    private Optional<CardView> view(String token) {
        return jdbc.sql(SELECT_VIEW + " WHERE token = :t").param("t", token).query(JdbcCardVault::view).optional();
    }

    private static final String SELECT_VIEW = "SELECT token, brand, bin, last4, expiry_year, expiry_month FROM payments_card";

    private static CardView view(ResultSet rs, int n) throws SQLException {
        return new CardView(new CardToken(rs.getString("token")), rs.getString("brand"), rs.getString("bin"), rs.getString("last4"),
                YearMonth.of(rs.getInt("expiry_year"), rs.getInt("expiry_month")));
    }

    private ProblemException refused(PayerId payer, MerchantId merchant, ProblemType type, String reason,
            String detail) {
        return refused(payer, merchant, type, reason, detail, Map.of());
    }

    /** Audits a refused tokenization (its reason code, never card data) and makes the problem to throw. */
    private ProblemException refused(PayerId payer, MerchantId merchant, ProblemType type, String reason,
            String detail, Map<String, Object> properties) {
        publish(PaymentEvent.PaymentKind.CARD_TOKENIZE, "denied", merchant, payer, null, reason);
        return new ProblemException(type, detail, properties);
    }

    /** An acquirer's decline code as it may be shown and audited: a short lower-case code, else "card-declined". */
    private static String code(String declineCode) {
        return declineCode.matches("[a-z][a-z0-9-]{0,39}") ? declineCode : "card-declined";
    }

    private void publish(PaymentEvent.PaymentKind kind, String outcome, MerchantId merchant, PayerId payer, String token, String detail) {
        events.publishEvent(new PaymentEvent(kind, outcome, Optional.of(merchant), Optional.empty(), Optional.ofNullable(payer),
                Optional.ofNullable(token), Optional.ofNullable(detail), Optional.empty()));
    }

    private record Sealed(byte[] number, byte[] holder, YearMonth expiry) {
        @Override
        public String toString() {
            return "Sealed[" + expiry + ", <sealed>]";
        }
    }

    /** Thrown inside the storing transaction when the scope is full: rolled back, then refused and audited outside it. */
    private static final class ScopeFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScopeFull() {
            super("card limit reached", null, false, false);
        }
    }
}
