package dev.capsule.server.payments.internal.vault;

import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Optional;

/** Random, Luhn-valid card numbers for tests, so no other test's data can stand in for (or hide) this test's cards. */
final class TestCards {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCards() {
    }

    /** A random valid number of {@code length} digits starting with {@code prefix}. */
    static String number(String prefix, int length) {
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < length - 1) {
            digits.append(RANDOM.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            if (CardNumber.luhn(digits.toString() + check)) {
                return digits.toString() + check;
            }
        }
        throw new AssertionError("no check digit");
    }

    static CardDetails card(String number) {
        return new CardDetails(CardNumber.parse(number), YearMonth.now().plusYears(3), "Ada Lovelace", Optional.empty());
    }
}
