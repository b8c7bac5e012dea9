package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a mini-program passes to {@code wx.requestPayment} as {@code package: 'prepay_id=…'}: names one payment intent, never the amount.
 *
 * <p>Security guarantees: only {@code prepay_} followed by 26 base32 characters (130 random bits) is a {@code PrepayId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record PrepayId(String value) {
    public static final String PREFIX = "prepay";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public PrepayId {
        PrefixedIds.require(value, RULE, "prepay");
    }

    /** A new random id. */
    public static PrepayId random() {
        return new PrepayId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<PrepayId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new PrepayId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
