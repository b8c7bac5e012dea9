package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A merchant's signing key, the {@code keyid} of its RFC 9421 signatures and the key of its {@code paySign}; the key pins its algorithm.
 *
 * <p>Security guarantees: only {@code mk_} followed by 26 base32 characters (130 random bits) is a {@code MerchantKeyId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record MerchantKeyId(String value) {
    public static final String PREFIX = "mk";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public MerchantKeyId {
        PrefixedIds.require(value, RULE, "merchant key");
    }

    /** A new random id. */
    public static MerchantKeyId random() {
        return new MerchantKeyId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<MerchantKeyId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new MerchantKeyId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
