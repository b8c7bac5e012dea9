package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A vault token standing for one card, scoped to one merchant and optionally one payer; using it anywhere else fails exactly like an unknown token.
 *
 * <p>Security guarantees: only {@code tok_} followed by 26 base32 characters (130 random bits) is a {@code CardToken}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record CardToken(String value) {
    public static final String PREFIX = "tok";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public CardToken {
        PrefixedIds.require(value, RULE, "card token");
    }

    /** A new random id. */
    public static CardToken random() {
        return new CardToken(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<CardToken> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new CardToken(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
