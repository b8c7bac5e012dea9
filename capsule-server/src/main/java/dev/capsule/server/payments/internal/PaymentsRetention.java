package dev.capsule.server.payments.internal;

import dev.capsule.server.payments.internal.intents.PaymentSettings;
import dev.capsule.server.payments.internal.webhooks.WebhookLimits;
import dev.capsule.server.platform.Purge;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payments module's purges (the platform's {@link Purge}; docs/retention.md lists them with their reasons). Payment
 * intents, their transitions, refunds, wallet credits and the ledger are records and are kept: nothing here touches them.
 */
@Configuration(proxyBeanMethods = false)
class PaymentsRetention {
    /**
     * How long a finished webhook delivery, its attempts and its message are kept: the delivery history operators see on
     * {@code /console/payments/webhooks} and can retry from (a failed delivery). Stripe keeps events 30 days too.
     */
    static final Duration WEBHOOK_HISTORY_KEPT = Duration.ofDays(30);
    /**
     * How long a test acquirer authorization nothing can act on any more is kept: five days longer than the longest
     * capture hold ({@link PaymentSettings#CAPTURE_HOLD_HOURS_MAX}, 30 days), and far longer than an unpaid intent's life
     * (at most an hour), so no capture, release or challenge answer can still name it. A {@code processing} intent (every
     * call timed out) retried later than this is decided afresh, as by a bank that never answered the first request.
     */
    static final Duration TEST_ACQUIRER_KEPT = Duration.ofHours(PaymentSettings.CAPTURE_HOLD_HOURS_MAX).plusDays(5);
    static final Duration HOURLY = Duration.ofHours(1);

    /**
     * Expired nonces: an expired nonce decides nothing (its message is refused as expired before the nonce is looked
     * at, and JdbcNonces reuses an expired row), so deleting it changes no decision.
     */
    @Bean
    Purge noncePurge() {
        return new Purge("payments.nonces", "payments_nonce", "expires_at < :cutoff", Duration.ZERO, 10_000, 10, Duration.ofMinutes(5));
    }

    /** Idempotency records past their 24 hours: every lookup already ignores them. */
    @Bean
    Purge idempotencyPurge() {
        return new Purge("payments.idempotency", "payments_idempotency", "expires_at <= :cutoff", Duration.ZERO, 5_000, 20,
                Duration.ofMinutes(10));
    }

    /** Attempts of deliveries finished more than {@link #WEBHOOK_HISTORY_KEPT} ago (a pending delivery keeps all). */
    @Bean
    Purge webhookAttemptPurge() {
        return new Purge("payments.webhook-attempts", "payments_webhook_attempt", """
                EXISTS (SELECT 1 FROM payments_webhook_delivery d WHERE d.message_id = payments_webhook_attempt.message_id
                        AND d.endpoint_id = payments_webhook_attempt.endpoint_id AND d.status <> 'pending' AND d.finished_at < :cutoff)""",
                WEBHOOK_HISTORY_KEPT, 5_000, 20, HOURLY);
    }

    /**
     * Deliveries finished more than {@link #WEBHOOK_HISTORY_KEPT} ago whose attempts are gone (the attempt purge goes
     * first; a delivery left with an attempt waits for the next run). Pending deliveries are never purged: they finish
     * within {@link WebhookLimits#DELIVERY_WINDOW}.
     */
    @Bean
    Purge webhookDeliveryPurge() {
        return new Purge("payments.webhook-deliveries", "payments_webhook_delivery", """
                status <> 'pending' AND finished_at < :cutoff AND NOT EXISTS (SELECT 1 FROM payments_webhook_attempt a
                        WHERE a.message_id = payments_webhook_delivery.message_id AND a.endpoint_id = payments_webhook_delivery.endpoint_id)""",
                WEBHOOK_HISTORY_KEPT, 5_000, 20, HOURLY);
    }

    /** Messages older than {@link #WEBHOOK_HISTORY_KEPT} with no delivery left (every delivery is newer than its message). */
    @Bean
    Purge webhookMessagePurge() {
        return new Purge("payments.webhook-messages", "payments_webhook_message", """
                created_at < :cutoff AND NOT EXISTS (SELECT 1 FROM payments_webhook_delivery d
                        WHERE d.message_id = payments_webhook_message.message_id)""",
                WEBHOOK_HISTORY_KEPT, 5_000, 20, HOURLY);
    }

    /**
     * Test acquirer authorizations nothing can act on: not approved (declined, timed out, an unanswered challenge),
     * released, or approved for nothing (a card verification), with nothing captured. A captured authorization stays as
     * long as its intent, since refunds have no deadline; an approved, uncaptured hold stays too (its intent may still
     * cancel it at the acquirer).
     */
    @Bean
    Purge testAcquirerAuthorizationPurge() {
        return new Purge("payments.test-acquirer-authorizations", "payments_test_acquirer_authorization",
                "created_at < :cutoff AND captured = 0 AND (result <> 'approved' OR released OR amount = 0)",
                TEST_ACQUIRER_KEPT, 5_000, 20, HOURLY);
    }

    /** Declined test acquirer refunds (an approved refund stays with its authorization). */
    @Bean
    Purge testAcquirerRefundPurge() {
        return new Purge("payments.test-acquirer-refunds", "payments_test_acquirer_refund", "created_at < :cutoff AND result = 'declined'",
                TEST_ACQUIRER_KEPT, 5_000, 20, HOURLY);
    }
}
