package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.PersonalDataHolder;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment records' answer to a data subject request ({@code payments.records}): the payment intents the person
 * paid (with their refunds), the credits to their wallet, and their wallet balances, which are ledger accounts (the
 * ledger module knows accounts, not payers: the payments module names a payer's wallet account, so it answers for
 * those ledger rows too).
 *
 * <p>Erasure deletes nothing here: payment records must be kept for at least five years after the transaction
 * ({@link #BASIS}), so every table is reported as retained with its count. The person's cards are the vault's holder
 * ({@code payments.cards}); the host's payment tables, which name the payer by a pseudonym, are the host's.
 *
 * <p>Security guarantees: only rows whose {@code payer_id} is this person (an intent the merchant created for a pairwise
 * id but that no payer opened names nobody and is not listed); the card a payment used appears only as its token's
 * kind ({@code card} or {@code wallet}); the operators and API keys that made refunds and credits are not exported;
 * at most {@link PersonalDataHolder#RECORDS_MAX} records.
 */
@Component
class PaymentRecordsHolder implements PersonalDataHolder {
    static final String NAME = "payments.records";
    static final String BASIS = "Payment records are kept for five years after the transaction as anti-money-laundering "
            + "records (EU Directive 2015/849 art. 40, FATF Recommendation 11) and as accounting records, a legal obligation "
            + "(GDPR art. 17(3)(b)).";
    static final String DESCRIPTION = "Your payments to merchants of mini-programs (amount, currency, status, the merchant's "
            + "description and metadata, refunds), the credits paid into your wallet and your wallet balance per currency.";

    private final JdbcClient jdbc;
    private final PaymentIntents intents;
    private final Ledger ledger;
    private final JsonMapper json = JsonMapper.builder().build();

    PaymentRecordsHolder(JdbcClient jdbc, PaymentIntents intents, Ledger ledger) {
        this.jdbc = jdbc;
        this.intents = intents;
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> tables() {
        return Set.of("payments_intent", "payments_intent_transition", "payments_refund", "payments_intent_transfer",
                "payments_wallet_credit", "ledger_accounts", "ledger_transfers");
    }

    @Override
    public HeldData export(DataSubject subject) {
        PayerId payer = new PayerId(subject.userId());
        List<Map<String, Object>> records = new ArrayList<>(payments(payer));
        if (records.size() <= RECORDS_MAX) {
            records.addAll(credits(payer, RECORDS_MAX + 1 - records.size()));
        }
        if (records.size() <= RECORDS_MAX) {
            intents.balances(payer).forEach((currency, balance) -> {
                Map<String, Object> wallet = new LinkedHashMap<>();
                wallet.put("kind", "wallet");
                wallet.put("currency", currency);
                wallet.put("balance", balance);
                wallet.put("ledgerAccount", LedgerMapping.wallet(payer, currency).value().toString());
                records.add(wallet);
            });
        }
        return HeldData.of(NAME, DESCRIPTION, records);
    }

    private List<Map<String, Object>> payments(PayerId payer) {
        List<Map<String, Object>> payments = jdbc.sql("""
                SELECT intent_id, merchant_id, app_id, payer_app_user, amount, currency, status, amount_received, amount_refunded,
                       description, metadata::text AS metadata, payment_method, created_at
                FROM payments_intent WHERE payer_id = :p ORDER BY created_at, intent_id LIMIT :n""")
                .param("p", payer.value()).param("n", RECORDS_MAX + 1)
                .query((rs, i) -> {
                    Map<String, Object> payment = new LinkedHashMap<>();
                    payment.put("kind", "payment");
                    payment.put("id", rs.getString("intent_id"));
                    payment.put("merchant", rs.getString("merchant_id"));
                    payment.put("miniProgram", rs.getString("app_id"));
                    if (rs.getString("payer_app_user") != null) {
                        payment.put("miniProgramUserId", rs.getString("payer_app_user"));
                    }
                    payment.put("amount", rs.getLong("amount"));
                    payment.put("currency", rs.getString("currency"));
                    payment.put("status", rs.getString("status"));
                    payment.put("amountReceived", rs.getLong("amount_received"));
                    payment.put("amountRefunded", rs.getLong("amount_refunded"));
                    payment.put("description", rs.getString("description"));
                    payment.put("metadata", json.readValue(rs.getString("metadata"), new TypeReference<LinkedHashMap<String, String>>() {
                    }));
                    String method = rs.getString("payment_method");
                    if (method != null) {
                        payment.put("paidWith", method.startsWith("tok_") ? "card" : method);
                    }
                    payment.put("created", utc(rs.getObject("created_at", OffsetDateTime.class)));
                    payment.put("refunds", new ArrayList<Map<String, Object>>());
                    return payment;
                }).list();
        Map<String, List<Map<String, Object>>> refundsByIntent = new HashMap<>();
        payments.forEach(p -> refundsByIntent.put((String) p.get("id"), castList(p.get("refunds"))));
        jdbc.sql("""
                SELECT r.refund_id, r.intent_id, r.amount, r.currency, r.status, r.created_at FROM payments_refund r
                JOIN payments_intent i ON i.intent_id = r.intent_id WHERE i.payer_id = :p ORDER BY r.created_at, r.refund_id""")
                .param("p", payer.value())
                .query(rs -> {
                    List<Map<String, Object>> refunds = refundsByIntent.get(rs.getString("intent_id"));
                    if (refunds != null) {
                        Map<String, Object> refund = new LinkedHashMap<>();
                        refund.put("id", rs.getString("refund_id"));
                        refund.put("amount", rs.getLong("amount"));
                        refund.put("currency", rs.getString("currency"));
                        refund.put("status", rs.getString("status"));
                        refund.put("created", utc(rs.getObject("created_at", OffsetDateTime.class)));
                        refunds.add(refund);
                    }
                });
        return payments;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castList(Object list) {
        return (List<Map<String, Object>>) list;
    }

    private List<Map<String, Object>> credits(PayerId payer, int limit) {
        return jdbc.sql("SELECT credit_id, amount, currency, created_at FROM payments_wallet_credit WHERE payer_id = :p "
                        + "ORDER BY created_at, credit_id LIMIT :n")
                .param("p", payer.value()).param("n", limit)
                .query((rs, i) -> {
                    Map<String, Object> credit = new LinkedHashMap<>();
                    credit.put("kind", "wallet-credit");
                    credit.put("id", rs.getString("credit_id"));
                    credit.put("amount", rs.getLong("amount"));
                    credit.put("currency", rs.getString("currency"));
                    credit.put("created", utc(rs.getObject("created_at", OffsetDateTime.class)));
                    return credit;
                }).list();
    }

    private static String utc(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    @Override
    public Erasure erase(DataSubject subject) {
        PayerId payer = new PayerId(subject.userId());
        String p = payer.value();
        List<Erasure.Retained> retained = new ArrayList<>();
        retained.add(retained("payments_intent", count("SELECT count(*) FROM payments_intent WHERE payer_id = :p", p)));
        retained.add(retained("payments_intent_transition", count("SELECT count(*) FROM payments_intent_transition t "
                + "JOIN payments_intent i ON i.intent_id = t.intent_id WHERE i.payer_id = :p", p)));
        retained.add(retained("payments_refund", count("SELECT count(*) FROM payments_refund r "
                + "JOIN payments_intent i ON i.intent_id = r.intent_id WHERE i.payer_id = :p", p)));
        retained.add(retained("payments_intent_transfer", count("SELECT count(*) FROM payments_intent_transfer t "
                + "JOIN payments_intent i ON i.intent_id = t.intent_id WHERE i.payer_id = :p", p)));
        retained.add(retained("payments_wallet_credit", count("SELECT count(*) FROM payments_wallet_credit WHERE payer_id = :p", p)));
        long accounts = 0;
        long transfers = 0;
        for (String currency : intents.balances(payer).keySet()) {
            AccountId wallet = LedgerMapping.wallet(payer, currency);
            accounts++;
            transfers += ledger.transferCount(wallet);
        }
        retained.add(retained("ledger_accounts", accounts));
        retained.add(retained("ledger_transfers", transfers));
        return new Erasure(NAME, List.of(), retained, List.of());
    }

    private long count(String sql, String payer) {
        return jdbc.sql(sql).param("p", payer).query(Long.class).single();
    }

    private static Erasure.Retained retained(String table, long rows) {
        return new Erasure.Retained(table, rows, BASIS);
    }
}
