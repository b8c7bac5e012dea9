package dev.capsule.server.host.internal;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The merchants whose payment sheet a payer opened ({@code host_payment_merchants}, V99): the card endpoint accepts a
 * card for a merchant only while that merchant's sheet is open for this payer, on whichever node the browser's POST
 * lands, and the wallet page lists the payer's cards per merchant from here.
 *
 * <p>Security guarantees: the merchant's name stored is the verified name the payments module gave the sheet (never
 * the browser's or the mini-program's text); the payer is stored as a pseudonym ({@link PayerRefs}).
 */
@Component
class PaymentMerchants {
    /** Merchants listed on the wallet page at most (most recently used first). */
    static final int LISTED_MAX = 50;

    /** A merchant the payer paid or tried to pay, with the name the sheet showed. */
    record Merchant(MerchantId id, String name) {
    }

    private final JdbcClient jdbc;
    private final PayerRefs refs;
    private final Clock clock;

    @Autowired
    PaymentMerchants(JdbcClient jdbc, PayerRefs refs) {
        this(jdbc, refs, Clock.systemUTC());
    }

    PaymentMerchants(JdbcClient jdbc, PayerRefs refs, Clock clock) {
        this.jdbc = jdbc;
        this.refs = refs;
        this.clock = clock;
    }

    /** The payer's sheet for {@code merchant} is open until {@code now + open}; returns that instant (for {@link #closed}). */
    Instant opened(PayerId payer, MerchantId merchant, String merchantName, Duration open) {
        Instant now = clock.instant();
        Instant until = now.plus(open);
        jdbc.sql("""
                INSERT INTO host_payment_merchants (payer_ref, merchant_id, merchant_name, sheet_open_until, last_opened_at)
                VALUES (:payer, :merchant, :name, :until, :now)
                ON CONFLICT (payer_ref, merchant_id) DO UPDATE SET merchant_name = EXCLUDED.merchant_name,
                    sheet_open_until = GREATEST(host_payment_merchants.sheet_open_until, EXCLUDED.sheet_open_until),
                    last_opened_at = EXCLUDED.last_opened_at
                """).param("payer", refs.ref(payer)).param("merchant", merchant.value()).param("name", cut(merchantName))
                .param("until", utc(until)).param("now", utc(now)).update();
        return until;
    }

    /** The sheet opened until {@code until} is answered; a later sheet of the same merchant (another session) stays open. */
    void closed(PayerId payer, MerchantId merchant, Instant until) {
        jdbc.sql("""
                UPDATE host_payment_merchants SET sheet_open_until = NULL
                WHERE payer_ref = :payer AND merchant_id = :merchant AND sheet_open_until <= :until
                """).param("payer", refs.ref(payer)).param("merchant", merchant.value()).param("until", utc(until)).update();
    }

    /** The merchant with a payment sheet open for this payer now, or empty. */
    Optional<Merchant> openSheet(PayerId payer, MerchantId merchant) {
        return jdbc.sql("""
                SELECT merchant_name FROM host_payment_merchants
                WHERE payer_ref = :payer AND merchant_id = :merchant AND sheet_open_until > :now
                """).param("payer", refs.ref(payer)).param("merchant", merchant.value()).param("now", utc(clock.instant()))
                .query(String.class).optional().map(name -> new Merchant(merchant, name));
    }

    /** The payer's merchants, most recently used first, at most {@link #LISTED_MAX}. */
    List<Merchant> of(PayerId payer) {
        return jdbc.sql("""
                SELECT merchant_id, merchant_name FROM host_payment_merchants WHERE payer_ref = :payer
                ORDER BY last_opened_at DESC, merchant_id LIMIT :limit
                """).param("payer", refs.ref(payer)).param("limit", LISTED_MAX)
                .query((rs, n) -> new Merchant(new MerchantId(rs.getString(1)), rs.getString(2))).list();
    }

    private static String cut(String name) {
        String trimmed = name.strip();
        return trimmed.isEmpty() ? "?" : trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
