package dev.capsule.server.payments.internal.acquirer;

import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDataAccess;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code test} acquirer ({@code capsule.payments.acquirer=test}, the default while Capsule ships no real one): it
 * behaves like a card acquirer by test card number (docs/payments.md, "Test cards") and approves nothing else, so a
 * real card number is declined and no real money can move through it.
 *
 * <ul>
 *   <li>{@value #APPROVE}: approved</li>
 *   <li>{@value #DECLINE}: declined, {@code card-declined}</li>
 *   <li>{@value #INSUFFICIENT_FUNDS}: declined, {@code insufficient-funds}</li>
 *   <li>{@value #CHALLENGE}: the issuer asks for a code (3DS-style); {@value #CHALLENGE_CODE} approves, anything else
 *       declines with {@code authentication-failed}</li>
 *   <li>{@value #TIMEOUT_ONCE}: the first call of a reference times out, a retry with the same reference is approved</li>
 *   <li>{@value #TIMEOUT}: every call times out (the outcome stays unknown)</li>
 *   <li>an expiry in the past: declined, {@code expired-card}; any other number: declined, {@code card-declined}</li>
 * </ul>
 *
 * <p>Security guarantees: idempotent per reference, as the {@link Acquirer} contract asks: a repeated call answers the
 * first call's result and never authorizes twice (a timed-out call is the one exception the contract allows: its
 * outcome was unknown, and the retry settles it once). Captures and refunds never exceed what was authorized.
 *
 * <p>It emulates an external bank, and keeps that bank's records in PostgreSQL (V101,
 * {@code payments_test_acquirer_*}), so every node and a restarted node give the same answers: an authorization made on
 * one node is captured, released or refunded on another. Those rows are the emulated bank's, not a store of record
 * (the ledger is). A call joins the caller's transaction (the intent's row lock is held; a second connection per call
 * could exhaust the pool under concurrent confirmations), so a payment rolled back after an approval leaves no
 * authorization behind, as if the bank had voided it; its retry with the same reference then decides once. A row per
 * reference is locked ({@code FOR UPDATE}) while it changes, so concurrent calls with one reference decide once.
 */
@Component
@ConditionalOnProperty(name = "capsule.payments.acquirer", havingValue = "test", matchIfMissing = true)
public class TestAcquirer implements Acquirer {
    public static final String APPROVE = "4242424242424242";
    public static final String DECLINE = "4000000000000002";
    public static final String INSUFFICIENT_FUNDS = "4000000000009995";
    public static final String CHALLENGE = "4000000000003220";
    public static final String TIMEOUT_ONCE = "4000000000000119";
    public static final String TIMEOUT = "4000000000000101";
    public static final String CHALLENGE_CODE = "123456";
    /** Longest reference accepted (the table's check); a longer one is refused as unknown. */
    static final int REFERENCE_CHARS_MAX = 200;

    private final Clock clock = Clock.systemUTC();
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public TestAcquirer(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** One reference's state (a row of {@code payments_test_acquirer_authorization}). */
    private record Authorization(Result result, long amount, boolean captureAtOnce, String card, Optional<String> challenge,
            long captured, boolean released, int timeouts) {
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Result verify(String reference, OpenedCard card, Optional<CardCode> code) {
        Objects.requireNonNull(code, "code");
        return decide(reference, card, 0, true);
    }

    @Override
    public Result authorize(String reference, OpenedCard card, long amountMinor, String currency, boolean capture) {
        if (amountMinor <= 0) {
            return new Result.Declined("invalid-amount");
        }
        return decide(reference, card, amountMinor, capture);
    }

    private Result decide(String reference, OpenedCard card, long amount, boolean capture) {
        Objects.requireNonNull(reference, "reference");
        if (reference.isEmpty() || reference.length() > REFERENCE_CHARS_MAX) {
            return new Result.Declined("unknown-reference");
        }
        return inTransaction(() -> {
            // Two first calls may race to insert: the loser's INSERT … ON CONFLICT DO NOTHING waits for the winner's
            // commit and inserts nothing, and the loop reads (and locks) the winner's row.
            for (int tries = 0; ; tries++) {
                Optional<Authorization> earlier = locked(reference);
                if (earlier.isPresent() && !(earlier.get().result() instanceof Result.TimedOut)) {
                    return earlier.get().result();
                }
                Authorization decided = decision(card, amount, capture, earlier.map(Authorization::timeouts).orElse(0));
                if (earlier.isPresent()) {
                    update(reference, decided);
                    return decided.result();
                }
                if (insert(reference, decided) == 1) {
                    return decided.result();
                }
                if (tries > 0) {
                    throw new IllegalStateException("the test acquirer's row for a reference neither inserts nor reads");
                }
            }
        });
    }

    private Authorization decision(OpenedCard card, long amount, boolean capture, int timeouts) {
        String digits = card.number().digits(CardDataAccess.get());
        Result result;
        Optional<String> challenge = Optional.empty();
        if (card.expiry().isBefore(YearMonth.now(clock.withZone(ZoneOffset.UTC)))) {
            result = new Result.Declined("expired-card");
        } else {
            result = switch (digits) {
                case APPROVE -> approved();
                case INSUFFICIENT_FUNDS -> new Result.Declined("insufficient-funds");
                case CHALLENGE -> {
                    String id = "ch_" + UUID.randomUUID();
                    challenge = Optional.of(id);
                    yield new Result.ChallengeRequired(id);
                }
                case TIMEOUT_ONCE -> timeouts == 0 ? new Result.TimedOut() : approved();
                case TIMEOUT -> new Result.TimedOut();
                default -> new Result.Declined("card-declined");
            };
        }
        boolean captured = capture && result instanceof Result.Approved;
        return new Authorization(result, amount, capture, tag(digits), challenge, captured ? amount : 0, false,
                result instanceof Result.TimedOut ? timeouts + 1 : timeouts);
    }

    @Override
    public Result completeChallenge(String reference, String challengeId, String answer) {
        return inTransaction(() -> {
            Optional<Authorization> found = locked(reference);
            if (found.isEmpty()) {
                return new Result.Declined("unknown-reference");
            }
            Authorization auth = found.get();
            if (!(auth.result() instanceof Result.ChallengeRequired) || !auth.challenge().equals(Optional.of(challengeId))) {
                return auth.result() instanceof Result.ChallengeRequired ? new Result.Declined("challenge-mismatch") : auth.result();
            }
            Result result = CHALLENGE_CODE.equals(answer) ? approved() : new Result.Declined("authentication-failed");
            boolean captured = auth.captureAtOnce() && result instanceof Result.Approved;
            update(reference, new Authorization(result, auth.amount(), auth.captureAtOnce(), auth.card(), Optional.empty(),
                    captured ? auth.amount() : 0, false, auth.timeouts()));
            return result;
        });
    }

    @Override
    public Result capture(String reference, long amountMinor) {
        return inTransaction(() -> {
            Optional<Authorization> found = locked(reference);
            if (found.isEmpty() || !(found.get().result() instanceof Result.Approved approved)) {
                return new Result.Declined("unknown-reference");
            }
            Authorization auth = found.get();
            if (auth.captureAtOnce() || auth.released() || auth.captured() > 0 || amountMinor <= 0 || amountMinor > auth.amount()) {
                // A repeat of the capture that succeeded answers as it did (idempotent); anything else is refused.
                return auth.captured() == amountMinor ? approved : new Result.Declined("capture-refused");
            }
            update(reference, new Authorization(auth.result(), auth.amount(), false, auth.card(), Optional.empty(), amountMinor, false,
                    auth.timeouts()));
            return approved;
        });
    }

    @Override
    public Result release(String reference) {
        return inTransaction(() -> {
            Optional<Authorization> found = locked(reference);
            if (found.isEmpty() || !(found.get().result() instanceof Result.Approved approved)) {
                return new Result.Declined("unknown-reference");
            }
            Authorization auth = found.get();
            if (auth.captured() != 0) {
                return new Result.Declined("release-refused");
            }
            update(reference, new Authorization(auth.result(), auth.amount(), false, auth.card(), Optional.empty(), 0, true, auth.timeouts()));
            return approved;
        });
    }

    @Override
    public Result refund(String reference, String refundReference, long amountMinor) {
        Objects.requireNonNull(refundReference, "refundReference");
        if (refundReference.isEmpty() || refundReference.length() > REFERENCE_CHARS_MAX) {
            return new Result.Declined("refund-refused");
        }
        return inTransaction(() -> {
            Optional<Result> earlier = refundResult(refundReference);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Optional<Authorization> auth = locked(reference);
            Result result = auth.isEmpty() || !(auth.get().result() instanceof Result.Approved) || amountMinor <= 0
                    || amountMinor > auth.get().captured() ? new Result.Declined("refund-refused") : approved();
            int inserted = jdbc.sql("""
                            INSERT INTO payments_test_acquirer_refund (refund_reference, reference, result, result_value, amount)
                            VALUES (:ref, :auth, :result, :value, :amount) ON CONFLICT (refund_reference) DO NOTHING""")
                    .param("ref", refundReference).param("auth", reference).param("result", kind(result))
                    .param("value", value(result)).param("amount", amountMinor).update();
            return inserted == 1 ? result : refundResult(refundReference).orElseThrow();
        });
    }

    /**
     * How many references this acquirer approved whose reference starts with {@code prefix} (a payment intent's id):
     * the number of charges it made for that intent, on any node. For tests and the console's reconciliation view.
     */
    public long approvedCount(String prefix) {
        return jdbc.sql("""
                        SELECT count(*) FROM payments_test_acquirer_authorization
                        WHERE left(reference, char_length(:prefix)) = :prefix AND result = 'approved'""")
                .param("prefix", prefix).query(Long.class).single();
    }

    private <T> T inTransaction(Supplier<T> work) {
        // Joins the caller's transaction when there is one (see the class comment), else runs in its own.
        return transactions.execute(status -> work.get());
    }

    private Optional<Authorization> locked(String reference) {
        return jdbc.sql("""
                        SELECT result, result_value, amount, capture_at_once, card_last4, challenge_id, captured, released, timeouts
                        FROM payments_test_acquirer_authorization WHERE reference = :ref FOR UPDATE""")
                .param("ref", reference)
                .query((row, n) -> new Authorization(result(row.getString(1), row.getString(2)), row.getLong(3), row.getBoolean(4),
                        row.getString(5), Optional.ofNullable(row.getString(6)), row.getLong(7), row.getBoolean(8), row.getInt(9)))
                .optional();
    }

    private int insert(String reference, Authorization auth) {
        return jdbc.sql("""
                        INSERT INTO payments_test_acquirer_authorization (reference, result, result_value, amount, capture_at_once,
                                                                          card_last4, challenge_id, captured, released, timeouts)
                        VALUES (:ref, :result, :value, :amount, :once, :card, :challenge, :captured, :released, :timeouts)
                        ON CONFLICT (reference) DO NOTHING""")
                .param("ref", reference).param("result", kind(auth.result())).param("value", value(auth.result()))
                .param("amount", auth.amount()).param("once", auth.captureAtOnce()).param("card", auth.card())
                .param("challenge", auth.challenge().orElse(null)).param("captured", auth.captured())
                .param("released", auth.released()).param("timeouts", auth.timeouts())
                .update();
    }

    private void update(String reference, Authorization auth) {
        jdbc.sql("""
                        UPDATE payments_test_acquirer_authorization SET result = :result, result_value = :value, amount = :amount,
                               capture_at_once = :once, card_last4 = :card, challenge_id = :challenge, captured = :captured,
                               released = :released, timeouts = :timeouts
                        WHERE reference = :ref""")
                .param("ref", reference).param("result", kind(auth.result())).param("value", value(auth.result()))
                .param("amount", auth.amount()).param("once", auth.captureAtOnce()).param("card", auth.card())
                .param("challenge", auth.challenge().orElse(null)).param("captured", auth.captured())
                .param("released", auth.released()).param("timeouts", auth.timeouts())
                .update();
    }

    private Optional<Result> refundResult(String refundReference) {
        return jdbc.sql("SELECT result, result_value FROM payments_test_acquirer_refund WHERE refund_reference = :ref")
                .param("ref", refundReference).query((row, n) -> result(row.getString(1), row.getString(2))).optional();
    }

    private static String kind(Result result) {
        return switch (result) {
            case Result.Approved approved -> "approved";
            case Result.Declined declined -> "declined";
            case Result.ChallengeRequired challenge -> "challenge";
            case Result.TimedOut timedOut -> "timed-out";
        };
    }

    private static String value(Result result) {
        return switch (result) {
            case Result.Approved approved -> approved.acquirerReference();
            case Result.Declined declined -> declined.code();
            case Result.ChallengeRequired challenge -> challenge.challengeId();
            case Result.TimedOut timedOut -> null;
        };
    }

    private static Result result(String kind, String value) {
        return switch (kind) {
            case "approved" -> new Result.Approved(value);
            case "declined" -> new Result.Declined(value);
            case "challenge" -> new Result.ChallengeRequired(value);
            case "timed-out" -> new Result.TimedOut();
            default -> throw new IllegalStateException("unknown test acquirer result in the database: " + kind);
        };
    }

    private static Result approved() {
        return new Result.Approved("test_" + UUID.randomUUID());
    }

    /** What the acquirer remembers of a card: nothing that is the number. */
    private static String tag(String digits) {
        return digits.substring(digits.length() - 4);
    }
}
