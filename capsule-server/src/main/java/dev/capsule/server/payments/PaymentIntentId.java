package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A payment intent (Stripe's PaymentIntent lifecycle; docs/payments.md).
 *
 * <p>Security guarantees: only {@code pi_} followed by 26 base32 characters (130 random bits) is a {@code PaymentIntentId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record PaymentIntentId(String value) {
    public static final String PREFIX = "pi";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public PaymentIntentId {
        PrefixedIds.require(value, RULE, "payment intent");
    }

    /** A new random id. */
    public static PaymentIntentId random() {
        return new PaymentIntentId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<PaymentIntentId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new PaymentIntentId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
