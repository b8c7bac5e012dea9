package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.payments.MerchantId;
import tools.jackson.databind.JsonNode;

/**
 * Queues a Standard Webhooks message to every enabled endpoint of a merchant subscribed to its type. Call it inside
 * the transaction of the change it announces: the message is stored with it (an outbox), and delivered after commit by
 * the delivery workers of any node.
 *
 * @see <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 */
public interface WebhookOutbox {
    /**
     * @param type event type such as {@code payment_intent.succeeded} (lower-case words, dots and underscores)
     * @param data the event's object (the intent or refund as the merchant API shows it); at most 64 KiB as JSON
     * @return the message id ({@code msg_…}, the {@code webhook-id} header), the same for every endpoint
     */
    String enqueue(MerchantId merchant, String type, JsonNode data);
}
