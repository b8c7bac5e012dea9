package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A merchant: a mini-program's backend registered with its developer organisation (docs/payments.md).
 *
 * <p>Security guarantees: only {@code mch_} followed by 26 base32 characters (130 random bits) is a {@code MerchantId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record MerchantId(String value) {
    public static final String PREFIX = "mch";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public MerchantId {
        PrefixedIds.require(value, RULE, "merchant");
    }

    /** A new random id. */
    public static MerchantId random() {
        return new MerchantId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<MerchantId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new MerchantId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
