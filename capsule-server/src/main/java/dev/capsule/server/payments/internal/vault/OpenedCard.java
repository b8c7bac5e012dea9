package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.payments.CardNumber;
import java.time.YearMonth;
import java.util.Objects;

/** A detokenized card, alive only inside {@link CardVault#withCard}. No card code: the vault never has one. */
public record OpenedCard(CardNumber number, YearMonth expiry, String holderName) {
    public OpenedCard {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(holderName, "holderName");
    }

    @Override
    public String toString() {
        return "OpenedCard[" + number + "]";
    }
}
