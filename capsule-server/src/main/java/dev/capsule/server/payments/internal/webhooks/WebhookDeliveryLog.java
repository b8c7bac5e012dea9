package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.WebhookEndpointId;
import dev.capsule.server.platform.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Recent deliveries as operators see them, and "retry now". */
@Component
public class WebhookDeliveryLog {
    private static final Pattern MESSAGE_ID = Pattern.compile("msg_[a-z2-7]{26}");

    private final JdbcClient jdbc;
    private final Clock clock;

    @Autowired
    WebhookDeliveryLog(JdbcClient jdbc, ObjectProvider<Clock> clocks) {
        this(jdbc, clocks.getIfUnique(Clock::systemUTC));
    }

    WebhookDeliveryLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * One delivery with its latest attempt.
     *
     * @param lastStatus  the last attempt's HTTP status, or empty
     * @param lastFailure the last attempt's failure (escaped when stored), or empty
     */
    public record Delivery(String messageId, String type, WebhookEndpointId endpoint, MerchantId merchant, String status, int attempts,
            Optional<Instant> nextAttempt, Instant created, Optional<Integer> lastStatus, Optional<String> lastFailure) {
    }

    /** The newest deliveries, at most {@link WebhookLimits#PAGE_SIZE_MAX}. */
    public List<Delivery> recent() {
        return jdbc.sql("""
                        SELECT d.message_id, m.type, d.endpoint_id, m.merchant_id, d.status, d.attempts, d.next_attempt_at, d.created_at,
                               a.http_status, a.failure
                        FROM payments_webhook_delivery d JOIN payments_webhook_message m USING (message_id)
                        LEFT JOIN payments_webhook_attempt a ON a.message_id = d.message_id AND a.endpoint_id = d.endpoint_id AND a.attempt =
                             (SELECT max(attempt) FROM payments_webhook_attempt x WHERE x.message_id = d.message_id AND x.endpoint_id = d.endpoint_id)
                        ORDER BY d.created_at DESC, d.message_id, d.endpoint_id LIMIT :n""")
                .param("n", WebhookLimits.PAGE_SIZE_MAX)
                .query((row, n) -> new Delivery(row.getString(1), row.getString(2), new WebhookEndpointId(row.getString(3)),
                        new MerchantId(row.getString(4)), row.getString(5), row.getInt(6),
                        Optional.ofNullable(row.getObject(7, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        row.getObject(8, OffsetDateTime.class).toInstant(), Optional.ofNullable((Integer) row.getObject(9)),
                        Optional.ofNullable(row.getString(10))))
                .list();
    }

    /**
     * Makes a pending or failed delivery due now (an operator's "retry now"). A succeeded or canceled delivery, or one
     * of a disabled endpoint, is refused: re-enabling is not a retry.
     */
    @Transactional
    public void retryNow(String messageId, WebhookEndpointId endpoint) {
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) {
            throw new ProblemException(WebhookProblems.DELIVERY_NOT_FOUND, "message ids are msg_ and 26 base32 characters");
        }
        // The endpoint first, then the delivery: the lock order of disabling and of the delivery workers.
        Optional<Boolean> enabled = jdbc.sql("SELECT enabled FROM payments_webhook_endpoint WHERE endpoint_id = :ep FOR UPDATE")
                .param("ep", endpoint.value()).query(Boolean.class).optional();
        boolean exists = enabled.isPresent() && jdbc.sql("SELECT 1 FROM payments_webhook_delivery WHERE message_id = :msg AND endpoint_id = :ep FOR UPDATE")
                .param("msg", messageId).param("ep", endpoint.value()).query(Integer.class).optional().isPresent();
        if (!exists) {
            throw new ProblemException(WebhookProblems.DELIVERY_NOT_FOUND, "there is no such delivery");
        }
        if (!enabled.get()) {
            throw new ProblemException(WebhookProblems.ENDPOINT_DISABLED, "the endpoint is disabled; its deliveries cannot be retried");
        }
        int changed = jdbc.sql("UPDATE payments_webhook_delivery SET status = 'pending', next_attempt_at = :now, finished_at = NULL "
                        + "WHERE message_id = :msg AND endpoint_id = :ep AND status IN ('pending', 'failed')")
                .param("now", WebhookEndpoints.utc(clock.instant())).param("msg", messageId).param("ep", endpoint.value()).update();
        if (changed == 0) {
            throw new ProblemException(WebhookProblems.DELIVERY_FINISHED, "only a pending or failed delivery can be retried");
        }
    }
}
