package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A refund: a new ledger transfer against a succeeded payment, never an edit.
 *
 * <p>Security guarantees: only {@code re_} followed by 26 base32 characters (130 random bits) is a {@code RefundId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record RefundId(String value) {
    public static final String PREFIX = "re";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public RefundId {
        PrefixedIds.require(value, RULE, "refund");
    }

    /** A new random id. */
    public static RefundId random() {
        return new RefundId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<RefundId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new RefundId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
