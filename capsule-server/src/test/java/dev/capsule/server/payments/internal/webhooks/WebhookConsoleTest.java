package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code /console/payments/webhooks} with real operator sessions (password and TOTP, so step-up holds): support reads (the page needs {@code payments.read}),
 * only {@code payments.manage} disables or retries, and the disable is audited with the operator as actor.
 */
@CapsuleServerTest
class WebhookConsoleTest {
    private static final String PAGE = "/console/payments/webhooks";

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;
    @Autowired TransactionTemplate transactions;
    @Autowired WebhookEndpoints endpoints;
    @Autowired WebhookOutbox outbox;
    @Autowired tools.jackson.databind.json.JsonMapper json;

    @Test
    void supportSeesEndpointsAndDeliveriesAndAnAdminDisablesAndRetriesAfterStepUp() {
        MerchantId merchant = TestMerchants.create(jdbc, encryption, "Console Shop").id();
        WebhookEndpoints.Created endpoint = endpoints.create(merchant, "https://" + WebhookReceiverTls.HOST + "/console?a=1&b=2",
                List.of("refund.created"), Optional.empty());
        String message = transactions.execute(status -> outbox.enqueue(merchant, "refund.created", json.createObjectNode().put("id", "re_1")));
        jdbc.sql("UPDATE payments_webhook_delivery SET status = 'failed', next_attempt_at = NULL, finished_at = now() WHERE message_id = :m")
                .param("m", message).update();
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session support = operators.signIn("webhook-support", Role.SUPPORT);
        SignedInOperators.Session admin = operators.signIn("webhook-admin", Role.PLATFORM_ADMIN, Role.SUPPORT);

        HttpResponse<String> page = https.get(PAGE, support.headers());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains(endpoint.endpoint().id().value(), message, "refund.created")
                .contains("/console?a=1&amp;b=2").doesNotContain("a=1&b=2")
                .doesNotContain(endpoint.secret().substring("whsec_".length()))
                .doesNotContain("class=\"disable\"").as("no change forms without payments.manage");
        assertThat(post(support, PAGE + "/" + endpoint.endpoint().id().value() + "/disable").statusCode()).isEqualTo(403);
        assertThat(endpoints.find(merchant, endpoint.endpoint().id()).orElseThrow().enabled()).isTrue();

        assertThat(https.get(PAGE, admin.headers()).body()).contains("class=\"disable\"", "class=\"retry\"");
        HttpResponse<String> retried = post(admin, PAGE + "/deliveries/" + message + "/" + endpoint.endpoint().id().value() + "/retry");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT status FROM payments_webhook_delivery WHERE message_id = :m").param("m", message).query(String.class).single())
                .isEqualTo("pending");

        HttpResponse<String> disabled = post(admin, PAGE + "/" + endpoint.endpoint().id().value() + "/disable");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(302);
        assertThat(endpoints.find(merchant, endpoint.endpoint().id()).orElseThrow().disabled()).contains("operator");
        assertThat(jdbc.sql("SELECT status FROM payments_webhook_delivery WHERE message_id = :m").param("m", message).query(String.class).single())
                .as("its pending delivery is canceled").isEqualTo("canceled");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("webhook-endpoint.disable")
                && AuditEvents.text(e, "object").equals(endpoint.endpoint().id().value())))
                .extracting(e -> AuditEvents.line(e, " ", "actor", "detail")).containsExactly(admin.operatorId() + " operator");

        HttpResponse<String> again = post(admin, PAGE + "/deliveries/" + message + "/" + endpoint.endpoint().id().value() + "/retry");
        assertThat(again.statusCode()).as("a disabled endpoint's delivery is not retried").isEqualTo(409);
        assertThat(post(admin, PAGE + "/deliveries/msg_x/" + endpoint.endpoint().id().value() + "/retry").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> post(SignedInOperators.Session session, String path) {
        return https.send(https.request(path).headers(session.headers()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build());
    }
}
