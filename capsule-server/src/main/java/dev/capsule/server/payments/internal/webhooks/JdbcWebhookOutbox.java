package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.payments.MerchantId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link WebhookOutbox} on {@code payments_webhook_message} and {@code payments_webhook_delivery} (V98): one message row
 * (its body, {@code {"type", "timestamp", "data"}}, serialised once, so every endpoint and every retry gets the same
 * bytes) and one pending delivery per enabled endpoint of the merchant subscribed to the type, due at once.
 *
 * <p>Security guarantees: runs in the caller's transaction ({@link Propagation#MANDATORY}: outside one it refuses), so
 * a message exists exactly when the change it announces committed. The type must be one Capsule sends and the body at
 * most {@link WebhookLimits#PAYLOAD_BYTES_MAX}; anything else is a programming error and throws.
 */
@Component
class JdbcWebhookOutbox implements WebhookOutbox {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    @Autowired
    JdbcWebhookOutbox(JdbcClient jdbc, JsonMapper json, ObjectProvider<Clock> clocks) {
        this(jdbc, json, clocks.getIfUnique(Clock::systemUTC));
    }

    JdbcWebhookOutbox(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public String enqueue(MerchantId merchant, String type, JsonNode data) {
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(data, "data");
        if (!WebhookEvents.TYPES.contains(type)) {
            throw new IllegalArgumentException("not a webhook event type Capsule sends: " + type);
        }
        Instant now = clock.instant();
        ObjectNode envelope = json.createObjectNode();
        envelope.put("type", type);
        envelope.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(now));
        envelope.set("data", data);
        byte[] body = json.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
        if (body.length > WebhookLimits.PAYLOAD_BYTES_MAX) {
            throw new IllegalArgumentException("a webhook body is at most " + WebhookLimits.PAYLOAD_BYTES_MAX + " bytes, not " + body.length);
        }
        String messageId = messageId();
        // The message and a pending delivery to each enabled endpoint subscribed to its type, in one statement.
        jdbc.sql("""
                        WITH message AS (
                            INSERT INTO payments_webhook_message (message_id, merchant_id, type, body, created_at)
                            VALUES (:id, :m, :type, :body, :now) RETURNING message_id)
                        INSERT INTO payments_webhook_delivery (message_id, endpoint_id, status, attempts, next_attempt_at, created_at)
                        SELECT message.message_id, e.endpoint_id, 'pending', 0, :now, :now
                        FROM message CROSS JOIN payments_webhook_endpoint e
                        WHERE e.merchant_id = :m AND e.enabled AND :type = ANY(e.events)""")
                .param("id", messageId).param("m", merchant.value()).param("type", type).param("body", body)
                .param("now", WebhookEndpoints.utc(now)).update();
        return messageId;
    }

    /** {@code msg_} and 26 base32 characters (130 random bits); no {@code .}, as the signed content requires. */
    static String messageId() {
        byte[] bytes = new byte[26];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder("msg_");
        for (byte b : bytes) {
            id.append(BASE32[b & 31]);
        }
        return id.toString();
    }
}
