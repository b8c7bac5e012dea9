package dev.capsule.server.payments;

import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cardholder enters: number, expiry, name on the card and, for an authorization now, the card code.
 *
 * @param holderName 1-64 printable characters, as on the card
 * @param code       present only when the card is used at once; never stored
 */
public record CardDetails(CardNumber number, YearMonth expiry, String holderName, Optional<CardCode> code) {
    public static final int HOLDER_CHARS_MAX = 64;

    public CardDetails {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(holderName, "holderName");
        Objects.requireNonNull(code, "code");
        if (holderName.isBlank() || holderName.length() > HOLDER_CHARS_MAX || holderName.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the name on the card has 1-" + HOLDER_CHARS_MAX + " printable characters");
        }
    }
}
