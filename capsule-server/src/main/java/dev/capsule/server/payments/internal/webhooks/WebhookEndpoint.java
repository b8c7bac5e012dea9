package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.WebhookEndpointId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A merchant's webhook receiver as stored (no secret: those are only in {@code payments_webhook_key}, sealed).
 *
 * @param publicKeys the {@code whpk_…} keys valid now, newest first (public: a receiver may pin them)
 * @param disabled   why it is disabled ({@code merchant}, {@code operator}, {@code gone}, {@code failing}), or empty
 */
public record WebhookEndpoint(WebhookEndpointId id, MerchantId merchant, String url, List<String> events, boolean enabled,
        Optional<String> disabled, List<String> publicKeys, Instant created) {
    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(url, "url");
        events = List.copyOf(events);
        Objects.requireNonNull(disabled, "disabled");
        publicKeys = List.copyOf(publicKeys);
        Objects.requireNonNull(created, "created");
    }
}
