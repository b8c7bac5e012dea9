package dev.capsule.server.payments.internal.webhooks;

import java.util.Set;

/** The event types Capsule sends (docs/payments.md, "Webhooks"); an endpoint subscribes to some of them. */
public final class WebhookEvents {
    public static final Set<String> TYPES = Set.of(
            "payment_intent.created",
            "payment_intent.requires_action",
            "payment_intent.amount_capturable_updated",
            "payment_intent.succeeded",
            "payment_intent.payment_failed",
            "payment_intent.canceled",
            "refund.created");

    private WebhookEvents() {
    }
}
