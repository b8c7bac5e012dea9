package dev.capsule.server.payments;

import java.time.YearMonth;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What may be shown of a tokenized card: brand, BIN and last four (PCI DSS 4.0 req. 3.4.1), expiry. Never the number.
 *
 * @param brand a lower-case brand code from the BIN ({@code visa}, {@code mastercard}, {@code unionpay}, {@code amex},
 *              {@code jcb}, {@code discover}, {@code unknown})
 */
public record CardView(CardToken token, String brand, String bin, String last4, YearMonth expiry) {
    private static final Pattern BIN = Pattern.compile("[0-9]{6}");
    private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");

    public CardView {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(expiry, "expiry");
        if (bin == null || !BIN.matcher(bin).matches() || last4 == null || !LAST4.matcher(last4).matches()) {
            throw new IllegalArgumentException("a card is shown as six BIN digits and the last four");
        }
    }
}
