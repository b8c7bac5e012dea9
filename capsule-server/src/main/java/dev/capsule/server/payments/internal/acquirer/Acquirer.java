package dev.capsule.server.payments.internal.acquirer;

import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import java.util.Objects;
import java.util.Optional;

/**
 * The card acquirer (the bank that authorizes and captures card payments). Capsule ships the {@code test} acquirer,
 * which behaves like a real one (declines, 3DS-style challenges, timeouts) by test card number; a real acquirer is
 * another implementation of this interface.
 *
 * <p>Contract: {@code reference} is the acquirer-side idempotency key (a payment attempt's id): a repeated call with the
 * same reference answers the first result and never charges twice. Calls are bounded in time by the implementation.
 */
public interface Acquirer {
    /** The acquirer's name as configured ({@code capsule.payments.acquirer}). */
    String name();

    /** Longest challenge answer passed to the acquirer. */
    int CHALLENGE_ANSWER_CHARS_MAX = 64;

    /** A zero-amount check when a card is saved (with its code, which is then dropped). */
    Result verify(String reference, OpenedCard card, Optional<CardCode> code);

    /** Authorizes {@code amountMinor}; with {@code capture} false it only holds the funds (two-phase). */
    Result authorize(String reference, OpenedCard card, long amountMinor, String currency, boolean capture);

    /**
     * Answers the issuer's challenge of {@link Result.ChallengeRequired} for {@code reference}: approves (captured, or
     * held when the authorization asked for no capture) or declines. Idempotent per reference like every call.
     *
     * @param answer what the cardholder entered (at most {@link #CHALLENGE_ANSWER_CHARS_MAX} characters)
     */
    Result completeChallenge(String reference, String challengeId, String answer);

    /** Captures (part of) a held authorization. */
    Result capture(String reference, long amountMinor);

    /** Releases a held authorization. */
    Result release(String reference);

    /** Refunds (part of) a captured payment. */
    Result refund(String reference, String refundReference, long amountMinor);

    sealed interface Result {
        record Approved(String acquirerReference) implements Result {
            public Approved {
                Objects.requireNonNull(acquirerReference, "acquirerReference");
            }
        }

        /** @param code a short lower-case decline code ({@code card-declined}, {@code insufficient-funds}, {@code expired-card}…) */
        record Declined(String code) implements Result {
            public Declined {
                Objects.requireNonNull(code, "code");
            }
        }

        /** The issuer asks the cardholder to authenticate (3DS-style); the intent goes to {@code requires_action}. */
        record ChallengeRequired(String challengeId) implements Result {
            public ChallengeRequired {
                Objects.requireNonNull(challengeId, "challengeId");
            }
        }

        /** No answer in time: the outcome is unknown and the attempt is retried with the same reference. */
        record TimedOut() implements Result {
        }
    }
}
