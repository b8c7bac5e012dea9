package dev.capsule.server.payments;

import java.util.Objects;

/**
 * A primary account number as the cardholder typed it (spaces and hyphens removed): 12 to 19 digits that pass the
 * Luhn check. Reading the digits needs {@link CardDataAccess}.
 *
 * <p>Security guarantees: {@link #toString()} shows at most the BIN (first six) and the last four digits (PCI DSS 4.0
 * req. 3.4.1); {@link #equals} is not defined (compare keyed index tags instead), so a number never ends up as a map
 * key or in a log line by accident; invalid input is refused with a message that does not repeat it.
 */
public final class CardNumber {
    public static final int DIGITS_MIN = 12;
    public static final int DIGITS_MAX = 19;

    private final String digits;

    private CardNumber(String digits) {
        this.digits = digits;
    }

    /** The card number in {@code text} (digits, optionally grouped by single spaces or hyphens). */
    public static CardNumber parse(String text) {
        Objects.requireNonNull(text, "card number");
        if (text.length() > DIGITS_MAX * 2) {
            throw new IllegalArgumentException("a card number has " + DIGITS_MIN + " to " + DIGITS_MAX + " digits");
        }
        String digits = text.replace(" ", "").replace("-", "");
        if (digits.length() < DIGITS_MIN || digits.length() > DIGITS_MAX || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a card number has " + DIGITS_MIN + " to " + DIGITS_MAX + " digits");
        }
        if (!luhn(digits)) {
            throw new IllegalArgumentException("the card number is not valid (its check digit does not match)");
        }
        return new CardNumber(digits);
    }

    /** Whether {@code digits} (digits only) passes the Luhn check. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    public String digits(CardDataAccess access) {
        Objects.requireNonNull(access, "access");
        return digits;
    }

    /** The first six digits (the issuer's BIN), which may be displayed. */
    public String bin() {
        return digits.substring(0, 6);
    }

    /** The last four digits, which may be displayed. */
    public String last4() {
        return digits.substring(digits.length() - 4);
    }

    @Override
    public String toString() {
        return bin() + "…" + last4();
    }
}
