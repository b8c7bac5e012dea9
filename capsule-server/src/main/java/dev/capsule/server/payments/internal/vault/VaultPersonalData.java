package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.PersonalDataHolder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The card vault's answer to a data subject request ({@code payments.cards}): the cards the person saved, masked, and
 * on erasure their deletion. The payer is the person's account id ({@link PayerId} has the same value as the
 * {@link DataSubject}), the key the vault scopes every card by.
 *
 * <p>A card is exported as its brand, last four digits, expiry, merchant, when it was saved, and the name on the card:
 * the name is personal data the person typed themselves (PCI DSS 4.0 lets it be shown; only the number must be
 * masked), so it is opened from its sealed column for the export. The number, its BIN, its keyed index tag and the
 * token are not exported.
 *
 * <p>Erasure deletes the person's rows, and with them the sealed number and name: these are sealed under the
 * platform's {@code vault} keys (one key set for all cards, not a data-subject key), so no subject key is named;
 * deleting the row is what removes them. Each deleted card is published as a {@code card.remove} event (detail
 * {@code erasure}), like a removal by the person, in the deleting transaction.
 *
 * <p>Security guarantees: only rows whose {@code payer} is this person; never the card number or anything from which
 * more than its last four digits follow; at most {@link PersonalDataHolder#RECORDS_MAX} cards.
 */
@Component
class VaultPersonalData implements PersonalDataHolder {
    static final String NAME = "payments.cards";
    static final String DESCRIPTION = "Payment cards you saved for a merchant, shown as the card network, the last four digits, "
            + "the expiry and the name on the card. The full card number is never shown; it is stored only encrypted.";

    private final JdbcClient jdbc;
    private final FieldEncryption fields;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    VaultPersonalData(JdbcClient jdbc, FieldEncryption fields, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fields = fields;
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> tables() {
        return Set.of(JdbcCardVault.TABLE);
    }

    /**
     * A deleted card's number and name stay in the table's free space sealed under the platform's {@code vault} key,
     * which erasure does not destroy (it seals everyone's cards), and the row names the payer in clear: the table is
     * rewritten after an erasure. It holds a few cards per payer.
     */
    @Override
    public Set<String> rewrittenAfterErasure() {
        return Set.of(JdbcCardVault.TABLE);
    }

    @Override
    public HeldData export(DataSubject subject) {
        List<Map<String, Object>> cards = jdbc.sql("""
                SELECT token, merchant_id, brand, last4, expiry_year, expiry_month, holder_sealed, created_at FROM payments_card
                WHERE payer = :p ORDER BY created_at, token LIMIT :n""")
                .param("p", subject.userId()).param("n", RECORDS_MAX + 1)
                .query((rs, i) -> {
                    Map<String, Object> card = new LinkedHashMap<>();
                    card.put("kind", "card");
                    card.put("brand", rs.getString("brand"));
                    card.put("last4", rs.getString("last4"));
                    card.put("expiryMonth", rs.getInt("expiry_month"));
                    card.put("expiryYear", rs.getInt("expiry_year"));
                    card.put("merchant", rs.getString("merchant_id"));
                    card.put("nameOnCard", new String(fields.open(DataPurpose.VAULT, rs.getBytes("holder_sealed"),
                            JdbcCardVault.holderPlace(rs.getString("token"))), StandardCharsets.UTF_8));
                    card.put("created", rs.getObject("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toString());
                    return card;
                }).list();
        return HeldData.of(NAME, DESCRIPTION, cards);
    }

    @Override
    public Erasure erase(DataSubject subject) {
        PayerId payer = new PayerId(subject.userId());
        Integer deleted = transactions.execute(status -> {
            List<Removed> removed = jdbc.sql("DELETE FROM payments_card WHERE payer = :p RETURNING token, merchant_id")
                    .param("p", payer.value()).query((rs, i) -> new Removed(rs.getString(1), rs.getString(2))).list();
            for (Removed card : removed) {
                events.publishEvent(new PaymentEvent(PaymentEvent.PaymentKind.CARD_REMOVE, "success",
                        Optional.of(new MerchantId(card.merchant())), Optional.empty(), Optional.of(payer), Optional.of(card.token()),
                        Optional.of("erasure"), Optional.empty()));
            }
            return removed.size();
        });
        return new Erasure(NAME, List.of(new Erasure.Deleted(JdbcCardVault.TABLE, deleted == null ? 0 : deleted)), List.of(), List.of());
    }

    private record Removed(String token, String merchant) {
    }
}
