package dev.capsule.server.payments.internal.acquirer;

import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDataAccess;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

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
 * It keeps its state in memory: it is a test double of a remote bank, not a store of record (the ledger is).
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
    /** References remembered at most (a test double; the oldest are not evicted, further ones are refused). */
    static final int REFERENCES_MAX = 1_000_000;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Authorization> authorizations = new ConcurrentHashMap<>();
    private final Map<String, Result> refunds = new ConcurrentHashMap<>();

    /** One reference's state. */
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
        return decide(reference, card, 0, true).result();
    }

    @Override
    public Result authorize(String reference, OpenedCard card, long amountMinor, String currency, boolean capture) {
        if (amountMinor <= 0) {
            return new Result.Declined("invalid-amount");
        }
        return decide(reference, card, amountMinor, capture).result();
    }

    private Authorization decide(String reference, OpenedCard card, long amount, boolean capture) {
        Objects.requireNonNull(reference, "reference");
        if (authorizations.size() >= REFERENCES_MAX && !authorizations.containsKey(reference)) {
            return new Authorization(new Result.TimedOut(), 0, false, "", Optional.empty(), 0, false, 0);
        }
        return authorizations.compute(reference, (ref, earlier) -> {
            if (earlier != null && !(earlier.result() instanceof Result.TimedOut)) {
                return earlier;
            }
            String digits = card.number().digits(CardDataAccess.get());
            int timeouts = earlier == null ? 0 : earlier.timeouts();
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
        });
    }

    @Override
    public Result completeChallenge(String reference, String challengeId, String answer) {
        Authorization updated = authorizations.computeIfPresent(reference, (ref, auth) -> {
            if (!(auth.result() instanceof Result.ChallengeRequired) || !auth.challenge().equals(Optional.of(challengeId))) {
                return auth;
            }
            Result result = CHALLENGE_CODE.equals(answer) ? approved() : new Result.Declined("authentication-failed");
            boolean captured = auth.captureAtOnce() && result instanceof Result.Approved;
            return new Authorization(result, auth.amount(), auth.captureAtOnce(), auth.card(), Optional.empty(),
                    captured ? auth.amount() : 0, false, auth.timeouts());
        });
        if (updated == null) {
            return new Result.Declined("unknown-reference");
        }
        return updated.result() instanceof Result.ChallengeRequired ? new Result.Declined("challenge-mismatch") : updated.result();
    }

    @Override
    public Result capture(String reference, long amountMinor) {
        Authorization updated = authorizations.computeIfPresent(reference, (ref, auth) -> {
            if (!(auth.result() instanceof Result.Approved) || auth.captureAtOnce() || auth.released() || auth.captured() > 0
                    || amountMinor <= 0 || amountMinor > auth.amount()) {
                return auth;
            }
            return new Authorization(auth.result(), auth.amount(), false, auth.card(), Optional.empty(), amountMinor, false, auth.timeouts());
        });
        if (updated == null || !(updated.result() instanceof Result.Approved approved)) {
            return new Result.Declined("unknown-reference");
        }
        return updated.captured() == amountMinor ? approved : new Result.Declined("capture-refused");
    }

    @Override
    public Result release(String reference) {
        Authorization updated = authorizations.computeIfPresent(reference, (ref, auth) ->
                auth.result() instanceof Result.Approved && auth.captured() == 0
                        ? new Authorization(auth.result(), auth.amount(), false, auth.card(), Optional.empty(), 0, true, auth.timeouts())
                        : auth);
        if (updated == null || !(updated.result() instanceof Result.Approved approved)) {
            return new Result.Declined("unknown-reference");
        }
        return updated.released() ? approved : new Result.Declined("release-refused");
    }

    @Override
    public Result refund(String reference, String refundReference, long amountMinor) {
        return refunds.computeIfAbsent(refundReference, ref -> {
            Authorization auth = authorizations.get(reference);
            if (auth == null || !(auth.result() instanceof Result.Approved) || amountMinor <= 0 || amountMinor > auth.captured()) {
                return new Result.Declined("refund-refused");
            }
            return approved();
        });
    }

    /**
     * How many references this acquirer approved whose reference starts with {@code prefix} (a payment intent's id):
     * the number of charges it made for that intent. For tests and the console's reconciliation view.
     */
    public long approvedCount(String prefix) {
        return authorizations.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(prefix) && entry.getValue().result() instanceof Result.Approved)
                .count();
    }

    private static Result approved() {
        return new Result.Approved("test_" + UUID.randomUUID());
    }

    /** What the acquirer remembers of a card: nothing that is the number. */
    private static String tag(String digits) {
        return digits.substring(digits.length() - 4);
    }
}
