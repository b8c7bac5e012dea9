package dev.capsule.server.payments;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A merchant's webhook endpoint (Standard Webhooks; docs/payments.md).
 *
 * <p>Security guarantees: only {@code we_} followed by 26 base32 characters (130 random bits) is a {@code WebhookEndpointId}; it
 * always contains letters, so it is never a card number, and {@link #parse} answers empty for anything else.
 */
public record WebhookEndpointId(String value) {
    public static final String PREFIX = "we";
    private static final Pattern RULE = PrefixedIds.pattern(PREFIX);

    public WebhookEndpointId {
        PrefixedIds.require(value, RULE, "webhook endpoint");
    }

    /** A new random id. */
    public static WebhookEndpointId random() {
        return new WebhookEndpointId(PrefixedIds.random(PREFIX));
    }

    /** The id this text is, or empty. */
    public static Optional<WebhookEndpointId> parse(String text) {
        return text != null && RULE.matcher(text).matches() ? Optional.of(new WebhookEndpointId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
