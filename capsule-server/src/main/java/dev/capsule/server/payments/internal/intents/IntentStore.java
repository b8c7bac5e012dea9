package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PrepayId;
import dev.capsule.server.payments.RefundId;
import dev.capsule.server.registry.MiniProgramId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The intents' tables (V96, V97). Callers hold the transaction; {@link #lock} is the one row lock of a change. */
@Component
class IntentStore {
    private static final String COLUMNS = "intent_id, prepay_id, merchant_id, app_id, payer_app_user, payer_id, status, amount, "
            + "currency, capture_method, amount_capturable, amount_received, amount_refunded, description, payment_method, "
            + "last_error, challenge_id, attempt, cancellation_reason, metadata::text AS metadata, created_at, expires_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    IntentStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A recorded transition. */
    record Transition(int seq, IntentStatus from, IntentStatus to, String reason, Instant at) {
    }

    /** A ledger transfer a payment made. */
    record PaymentTransfer(UUID transferId, String purpose, long amount, Instant at) {
    }

    record Refund(RefundId id, PaymentIntentId intent, MerchantId merchant, long amount, String currency, String status,
            String createdBy, Instant created) {
    }

    void insert(PaymentIntent intent, Instant now) {
        jdbc.sql("INSERT INTO payments_intent (" + COLUMNS.replace("metadata::text AS metadata", "metadata") + ", updated_at) VALUES "
                        + "(:id, :prepay, :merchant, :app, :payerAppUser, :payer, :status, :amount, :currency, :capture, 0, 0, 0, "
                        + ":description, :method, NULL, NULL, 0, NULL, CAST(:metadata AS jsonb), :created, :expires, :created)")
                .param("id", intent.id().value()).param("prepay", intent.prepay().value())
                .param("merchant", intent.merchant().value()).param("app", intent.app().value())
                .param("payerAppUser", intent.payerAppUser().orElse(null)).param("payer", intent.payer().map(PayerId::value).orElse(null))
                .param("status", intent.status().wire()).param("amount", intent.amount()).param("currency", intent.currency())
                .param("capture", intent.captureMethod().wire()).param("description", intent.description())
                .param("method", intent.paymentMethod().orElse(null))
                .param("metadata", json.writeValueAsString(intent.metadata()))
                .param("created", utc(intent.created())).param("expires", utc(intent.expiresAt()))
                .update();
    }

    Optional<PaymentIntent> find(PaymentIntentId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_intent WHERE intent_id = :id").param("id", id.value())
                .query(this::intentOf).optional();
    }

    /** The intent, its row locked until the transaction ends: every change of an intent starts here. */
    Optional<PaymentIntent> lock(PaymentIntentId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_intent WHERE intent_id = :id FOR UPDATE").param("id", id.value())
                .query(this::intentOf).optional();
    }

    Optional<PaymentIntentId> byPrepay(PrepayId prepay) {
        return jdbc.sql("SELECT intent_id FROM payments_intent WHERE prepay_id = :prepay").param("prepay", prepay.value())
                .query((row, n) -> new PaymentIntentId(row.getString(1))).optional();
    }

    /** Newest first; after {@code startingAfter} (an intent of the same listing) when given. */
    List<PaymentIntent> page(Optional<MerchantId> merchant, Optional<PaymentIntentId> startingAfter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM payments_intent i WHERE true");
        merchant.ifPresent(m -> sql.append(" AND merchant_id = :merchant"));
        startingAfter.ifPresent(s -> sql.append(" AND (created_at, intent_id) < (SELECT created_at, intent_id FROM payments_intent WHERE intent_id = :after)"));
        sql.append(" ORDER BY created_at DESC, intent_id DESC LIMIT :limit");
        var statement = jdbc.sql(sql.toString()).param("limit", limit);
        if (merchant.isPresent()) {
            statement = statement.param("merchant", merchant.get().value());
        }
        if (startingAfter.isPresent()) {
            statement = statement.param("after", startingAfter.get().value());
        }
        return statement.query(this::intentOf).list();
    }

    /** Writes every mutable field of a locked intent. */
    void update(PaymentIntent intent, Instant now) {
        jdbc.sql("UPDATE payments_intent SET payer_id = :payer, status = :status, amount_capturable = :capturable, "
                        + "amount_received = :received, amount_refunded = :refunded, payment_method = :method, last_error = :error, "
                        + "challenge_id = :challenge, attempt = :attempt, cancellation_reason = :cancellation, updated_at = :now "
                        + "WHERE intent_id = :id")
                .param("payer", intent.payer().map(PayerId::value).orElse(null)).param("status", intent.status().wire())
                .param("capturable", intent.amountCapturable()).param("received", intent.amountReceived())
                .param("refunded", intent.amountRefunded()).param("method", intent.paymentMethod().orElse(null))
                .param("error", intent.lastError().orElse(null)).param("challenge", intent.challengeId().orElse(null))
                .param("attempt", intent.attempt()).param("cancellation", intent.cancellationReason().orElse(null))
                .param("now", utc(now)).param("id", intent.id().value())
                .update();
    }

    void insertTransition(PaymentIntentId id, IntentStatus from, IntentStatus to, String reason, Instant at) {
        jdbc.sql("INSERT INTO payments_intent_transition (intent_id, seq, from_status, to_status, reason, at) "
                        + "SELECT :id, COALESCE(MAX(seq), 0) + 1, :from, :to, :reason, :at FROM payments_intent_transition WHERE intent_id = :id")
                .param("id", id.value()).param("from", from.wire()).param("to", to.wire()).param("reason", reason).param("at", utc(at))
                .update();
    }

    List<Transition> transitions(PaymentIntentId id) {
        return jdbc.sql("SELECT seq, from_status, to_status, reason, at FROM payments_intent_transition WHERE intent_id = :id ORDER BY seq")
                .param("id", id.value())
                .query((row, n) -> new Transition(row.getInt(1), IntentStatus.ofWire(row.getString(2)).orElseThrow(),
                        IntentStatus.ofWire(row.getString(3)).orElseThrow(), row.getString(4), instant(row, 5)))
                .list();
    }

    void recordTransfer(UUID transferId, PaymentIntentId intent, String purpose, long amount, Instant at) {
        jdbc.sql("INSERT INTO payments_intent_transfer (transfer_id, intent_id, purpose, amount, at) VALUES (:t, :i, :p, :a, :at) "
                        + "ON CONFLICT (transfer_id) DO NOTHING")
                .param("t", transferId).param("i", intent.value()).param("p", purpose).param("a", amount).param("at", utc(at))
                .update();
    }

    List<PaymentTransfer> transfers(PaymentIntentId intent) {
        return jdbc.sql("SELECT transfer_id, purpose, amount, at FROM payments_intent_transfer WHERE intent_id = :i ORDER BY at, transfer_id")
                .param("i", intent.value())
                .query((row, n) -> new PaymentTransfer(row.getObject(1, UUID.class), row.getString(2), row.getLong(3), instant(row, 4)))
                .list();
    }

    void insertRefund(Refund refund) {
        jdbc.sql("INSERT INTO payments_refund (refund_id, intent_id, merchant_id, amount, currency, status, created_by, created_at) "
                        + "VALUES (:id, :intent, :merchant, :amount, :currency, :status, :by, :at)")
                .param("id", refund.id().value()).param("intent", refund.intent().value()).param("merchant", refund.merchant().value())
                .param("amount", refund.amount()).param("currency", refund.currency()).param("status", refund.status())
                .param("by", refund.createdBy()).param("at", utc(refund.created()))
                .update();
    }

    List<Refund> refunds(PaymentIntentId intent) {
        return jdbc.sql("SELECT refund_id, intent_id, merchant_id, amount, currency, status, created_by, created_at FROM payments_refund "
                        + "WHERE intent_id = :i ORDER BY created_at, refund_id")
                .param("i", intent.value())
                .query((row, n) -> new Refund(new RefundId(row.getString(1)), new PaymentIntentId(row.getString(2)),
                        new MerchantId(row.getString(3)), row.getLong(4), row.getString(5), row.getString(6), row.getString(7), instant(row, 8)))
                .list();
    }

    void insertCredit(UUID creditId, PayerId payer, long amount, String currency, String createdBy, Instant at) {
        jdbc.sql("INSERT INTO payments_wallet_credit (credit_id, payer_id, amount, currency, created_by, created_at) "
                        + "VALUES (:id, :payer, :amount, :currency, :by, :at)")
                .param("id", creditId).param("payer", payer.value()).param("amount", amount).param("currency", currency)
                .param("by", createdBy).param("at", utc(at))
                .update();
    }

    /** Currencies a merchant has intents in (for its balance). */
    List<String> merchantCurrencies(MerchantId merchant) {
        return jdbc.sql("SELECT DISTINCT currency FROM payments_intent WHERE merchant_id = :m ORDER BY currency")
                .param("m", merchant.value()).query((row, n) -> row.getString(1)).list();
    }

    /** Currencies a payer was ever credited or paid in (for their wallet). */
    List<String> payerCurrencies(PayerId payer) {
        return jdbc.sql("SELECT currency FROM payments_wallet_credit WHERE payer_id = :p UNION "
                        + "SELECT currency FROM payments_intent WHERE payer_id = :p ORDER BY 1")
                .param("p", payer.value()).query((row, n) -> row.getString(1)).list();
    }

    /** Up to {@code limit} intents that expired while still awaiting the payer, oldest first (each is re-checked under its lock). */
    List<PaymentIntentId> expired(Instant now, int limit) {
        return jdbc.sql("SELECT intent_id FROM payments_intent WHERE status IN ('requires_payment_method', 'requires_confirmation', "
                        + "'requires_action') AND expires_at <= :now ORDER BY expires_at LIMIT :limit")
                .param("now", utc(now)).param("limit", limit)
                .query((row, n) -> new PaymentIntentId(row.getString(1))).list();
    }

    private PaymentIntent intentOf(ResultSet row, int n) throws SQLException {
        Map<String, String> metadata = json.readValue(row.getString("metadata"), new TypeReference<LinkedHashMap<String, String>>() {
        });
        return new PaymentIntent(new PaymentIntentId(row.getString("intent_id")), new PrepayId(row.getString("prepay_id")),
                new MerchantId(row.getString("merchant_id")), MiniProgramId.of(row.getString("app_id")),
                Optional.ofNullable(row.getString("payer_app_user")), Optional.ofNullable(row.getString("payer_id")).map(PayerId::new),
                IntentStatus.ofWire(row.getString("status")).orElseThrow(), row.getLong("amount"), row.getString("currency"),
                PaymentIntent.CaptureMethod.valueOf(row.getString("capture_method").toUpperCase(java.util.Locale.ROOT)),
                row.getLong("amount_capturable"), row.getLong("amount_received"), row.getLong("amount_refunded"),
                row.getString("description"), Optional.ofNullable(row.getString("payment_method")),
                Optional.ofNullable(row.getString("last_error")), Optional.ofNullable(row.getString("challenge_id")),
                row.getInt("attempt"), Optional.ofNullable(row.getString("cancellation_reason")), metadata,
                instant(row, "created_at"), instant(row, "expires_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

}
