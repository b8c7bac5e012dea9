package dev.capsule.server.payments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The payments module's purges on the real schema: webhook history goes 30 days after a delivery finished (attempts,
 * then deliveries, then messages, in whatever order the purges run), pending deliveries and newer history stay; the
 * test acquirer's records go only when nothing can act on them any more, and a captured authorization (refundable
 * without deadline) stays.
 */
@CapsuleServerTest
class PaymentsRetentionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;

    private static String id(String prefix) {
        StringBuilder out = new StringBuilder(prefix);
        for (int i = 0; i < 26; i++) {
            out.append("abcdefghijklmnopqrstuvwxyz234567".charAt(RANDOM.nextInt(32)));
        }
        return out.toString();
    }

    private String merchantWithEndpoint(String endpoint) {
        String merchant = id("mch_");
        jdbc.sql("INSERT INTO payments_merchant VALUES (:m, :org, 'Retention test', true, 'test', now())")
                .param("m", merchant).param("org", UUID.randomUUID()).update();
        jdbc.sql("INSERT INTO payments_webhook_endpoint (endpoint_id, merchant_id, url, events, enabled, created_by, created_at) "
                        + "VALUES (:e, :m, 'https://example.com/hook', ARRAY['payment_intent.succeeded'], true, 'test', now())")
                .param("e", endpoint).param("m", merchant).update();
        return merchant;
    }

    private void message(String message, String merchant, int daysAgo) {
        jdbc.sql("INSERT INTO payments_webhook_message VALUES (:id, :m, 'payment_intent.succeeded', '\\x7b7d'::bytea, "
                        + "now() - make_interval(days => :d))")
                .param("id", message).param("m", merchant).param("d", daysAgo).update();
    }

    /** A delivery created with its message; finished {@code finishedDaysAgo} days ago, or pending when negative. */
    private void delivery(String message, String endpoint, int createdDaysAgo, int finishedDaysAgo, int attempts) {
        boolean pending = finishedDaysAgo < 0;
        jdbc.sql("""
                        INSERT INTO payments_webhook_delivery VALUES (:msg, :e, :status, :n,
                            CASE WHEN :pending THEN now() ELSE NULL END, now() - make_interval(days => :created),
                            CASE WHEN :pending THEN NULL ELSE now() - make_interval(days => :finished) END)""")
                .param("msg", message).param("e", endpoint).param("status", pending ? "pending" : "succeeded").param("n", attempts)
                .param("pending", pending).param("created", createdDaysAgo).param("finished", Math.max(finishedDaysAgo, 0)).update();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            jdbc.sql("INSERT INTO payments_webhook_attempt VALUES (:msg, :e, :n, now() - make_interval(days => :created), 500, NULL, NULL)")
                    .param("msg", message).param("e", endpoint).param("n", attempt).param("created", createdDaysAgo).update();
        }
    }

    private long count(String table, String endpointOrMessage) {
        String column = table.equals("payments_webhook_message") ? "message_id" : "endpoint_id";
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = :v").param("v", endpointOrMessage).query(Long.class).single();
    }

    private void runAll(String... names) {
        for (String name : names) {
            purges.run(name);
        }
    }

    @Test
    void webhookHistoryGoesThirtyDaysAfterADeliveryFinishedAndPendingOrNewerHistoryStays() {
        String endpoint = id("we_");
        String merchant = merchantWithEndpoint(endpoint);
        String old = id("msg_");
        String recent = id("msg_");
        String pending = id("msg_");
        String undelivered = id("msg_");
        String fresh = id("msg_");
        message(old, merchant, 40);
        delivery(old, endpoint, 40, 31, 2);
        message(recent, merchant, 40);
        delivery(recent, endpoint, 40, 29, 1);
        message(pending, merchant, 40);
        delivery(pending, endpoint, 40, -1, 3);
        message(undelivered, merchant, 31);
        message(fresh, merchant, 1);

        // Messages and deliveries first: each waits for what refers to it, so nothing fails and nothing old goes yet.
        runAll("payments.webhook-messages", "payments.webhook-deliveries");
        assertThat(count("payments_webhook_message", old)).isEqualTo(1);
        assertThat(count("payments_webhook_message", undelivered)).as("no delivery refers to it").isZero();

        runAll("payments.webhook-attempts", "payments.webhook-deliveries", "payments.webhook-messages");

        assertThat(count("payments_webhook_message", old)).isZero();
        assertThat(jdbc.sql("SELECT message_id FROM payments_webhook_delivery WHERE endpoint_id = :e").param("e", endpoint)
                .query(String.class).list()).containsExactlyInAnyOrder(recent, pending);
        assertThat(jdbc.sql("SELECT message_id FROM payments_webhook_attempt WHERE endpoint_id = :e").param("e", endpoint)
                .query(String.class).list()).containsExactlyInAnyOrder(recent, pending, pending, pending);
        assertThat(jdbc.sql("SELECT message_id FROM payments_webhook_message WHERE merchant_id = :m").param("m", merchant)
                .query(String.class).list()).containsExactlyInAnyOrder(recent, pending, fresh);
    }

    private void authorization(String reference, String result, long amount, long captured, boolean released, int daysAgo) {
        jdbc.sql("""
                        INSERT INTO payments_test_acquirer_authorization (reference, result, result_value, amount, capture_at_once, card_last4,
                            challenge_id, captured, released, timeouts, created_at)
                        VALUES (:ref, :result, CASE WHEN :result = 'timed-out' THEN NULL ELSE 'x' END, :amount, false, '4242', NULL,
                            :captured, :released, 0, now() - make_interval(days => :d))""")
                .param("ref", reference).param("result", result).param("amount", amount).param("captured", captured)
                .param("released", released).param("d", daysAgo).update();
    }

    @Test
    void testAcquirerRecordsGoOnlyWhenNothingCanActOnThemAndCapturedOnesStay() {
        String p = "retention-" + UUID.randomUUID() + ":";
        authorization(p + "declined-old", "declined", 500, 0, false, 36);
        authorization(p + "timed-out-old", "timed-out", 500, 0, false, 36);
        authorization(p + "challenge-old", "challenge", 500, 0, false, 36);
        authorization(p + "verification-old", "approved", 0, 0, false, 36);
        authorization(p + "released-old", "approved", 500, 0, true, 36);
        authorization(p + "captured-old", "approved", 500, 500, false, 400);
        authorization(p + "held-old", "approved", 500, 0, false, 36);
        authorization(p + "declined-recent", "declined", 500, 0, false, 34);
        jdbc.sql("""
                        INSERT INTO payments_test_acquirer_refund (refund_reference, reference, result, result_value, amount, created_at) VALUES
                            (:p || 'refund-declined-old', :p || 'captured-old', 'declined', 'refund-refused', 900, now() - interval '36 days'),
                            (:p || 'refund-approved-old', :p || 'captured-old', 'approved', 'x', 100, now() - interval '36 days'),
                            (:p || 'refund-declined-recent', :p || 'captured-old', 'declined', 'refund-refused', 900, now() - interval '34 days')""")
                .param("p", p).update();

        runAll("payments.test-acquirer-authorizations", "payments.test-acquirer-refunds");

        assertThat(jdbc.sql("SELECT substr(reference, char_length(:p) + 1) FROM payments_test_acquirer_authorization "
                + "WHERE left(reference, char_length(:p)) = :p").param("p", p).query(String.class).list())
                .containsExactlyInAnyOrder("captured-old", "held-old", "declined-recent");
        assertThat(jdbc.sql("SELECT substr(refund_reference, char_length(:p) + 1) FROM payments_test_acquirer_refund "
                + "WHERE left(refund_reference, char_length(:p)) = :p").param("p", p).query(String.class).list())
                .containsExactlyInAnyOrder("refund-approved-old", "refund-declined-recent");
    }
}
