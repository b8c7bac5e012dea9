package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.runtime.net.GuardedHttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery worker of every server node (not of the {@code capsule} console commands): every
 * {@link #POLL_MILLIS} it delivers due webhooks in batches until none are due or {@link #BATCHES_PER_RUN_MAX} batches
 * ran. Nodes share the work through {@code FOR UPDATE SKIP LOCKED}. {@value #WORKERS_PROPERTY}{@code =false} turns it
 * off on a node (the shared test context does, because its tests drive {@link WebhookDeliveries} with their own clock
 * and a client that admits their loopback receiver).
 */
@Component
@ConditionalOnExpression("!${capsule.console:false} && ${" + WebhookWorker.WORKERS_PROPERTY + ":true}")
class WebhookWorker implements DisposableBean {
    static final String WORKERS_PROPERTY = "capsule.payments.webhooks.workers";
    static final long POLL_MILLIS = 1_000;
    /** Batches one run delivers before it lets the next run start (bounds one run's time). */
    static final int BATCHES_PER_RUN_MAX = 8;
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);

    private final GuardedHttpClient client;
    private final WebhookDeliveries deliveries;

    WebhookWorker(JdbcClient jdbc, TransactionTemplate transactions, WebhookEndpoints endpoints, ObjectProvider<Clock> clocks) {
        this.client = WebhookDeliveries.productionClient();
        this.deliveries = new WebhookDeliveries(jdbc, transactions, endpoints, client, clocks.getIfUnique(Clock::systemUTC), new SecureRandom());
    }

    @Scheduled(initialDelay = POLL_MILLIS, fixedDelay = POLL_MILLIS)
    void run() {
        try {
            for (int batch = 0; batch < BATCHES_PER_RUN_MAX; batch++) {
                if (deliveries.deliverDue() < WebhookLimits.CLAIM_BATCH_MAX) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            // The database was unavailable or a row could not be read: claimed rows fall due again when their lease ends.
            log.warn("webhook delivery run failed (will retry): {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        client.close();
    }
}
