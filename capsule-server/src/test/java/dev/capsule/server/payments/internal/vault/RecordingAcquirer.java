package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDataAccess;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An acquirer that answers every verification with one chosen result and records what the vault handed it, so a test
 * can see that a card code reaches {@link Acquirer#verify} (and, through the leak scan, nothing else). It authorizes
 * nothing: every other call fails the test.
 */
final class RecordingAcquirer implements Acquirer {
    /** One verification as the acquirer saw it. */
    record Verification(String reference, String number, Optional<String> code) {
        @Override
        public String toString() {
            return "Verification[" + reference + "]";
        }
    }

    private final Result answer;
    final List<Verification> verifications = new CopyOnWriteArrayList<>();

    RecordingAcquirer(Result answer) {
        this.answer = answer;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public Result verify(String reference, OpenedCard card, Optional<CardCode> code) {
        verifications.add(new Verification(reference, card.number().digits(CardDataAccess.get()),
                code.map(c -> c.digits(CardDataAccess.get()))));
        return answer;
    }

    @Override
    public Result authorize(String reference, OpenedCard card, long amountMinor, String currency, boolean capture) {
        throw new AssertionError("the vault never authorizes");
    }

    @Override
    public Result capture(String reference, long amountMinor) {
        throw new AssertionError("the vault never captures");
    }

    @Override
    public Result release(String reference) {
        throw new AssertionError("the vault never releases");
    }

    @Override
    public Result completeChallenge(String reference, String challengeId, String answer) {
        throw new AssertionError("the vault never answers an issuer's challenge");
    }

    @Override
    public Result refund(String reference, String refundReference, long amountMinor) {
        throw new AssertionError("the vault never refunds");
    }
}
