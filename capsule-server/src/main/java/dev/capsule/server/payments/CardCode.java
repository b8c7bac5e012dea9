package dev.capsule.server.payments;

import java.util.Objects;

/**
 * A card verification code (CVV/CVC): 3 or 4 digits, passed to the acquirer for one authorization and then dropped.
 * It is never stored, not even encrypted: no table has a column for it.
 *
 * <p>Security guarantees: {@link #toString()} redacts it; reading it needs {@link CardDataAccess}.
 */
public final class CardCode {
    private final String digits;

    private CardCode(String digits) {
        this.digits = digits;
    }

    public static CardCode parse(String text) {
        Objects.requireNonNull(text, "card code");
        if (text.length() < 3 || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a card code has 3 or 4 digits");
        }
        return new CardCode(text);
    }

    public String digits(CardDataAccess access) {
        Objects.requireNonNull(access, "access");
        return digits;
    }

    @Override
    public String toString() {
        return "CardCode[redacted]";
    }
}
