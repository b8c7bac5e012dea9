package dev.capsule.server.payments.internal.intents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.payments.Payer;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** The console's payments pages for signed-in operators: list, one intent with transitions and transfers, refund. */
@CapsuleServerTest
class PaymentsConsoleTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    PaymentIntents intents;

    PaymentFixtures fixtures;

    @BeforeEach
    void setUpFixtures() {
        fixtures = new PaymentFixtures(context);
    }

    private JsonNode paidIntent(PaymentFixtures fixtures, PaymentFixtures.Shop shop) {
        Payer payer = PaymentFixtures.payer();
        fixtures.credit(payer, 900, "CNY");
        JsonNode intent = TestHttps.json(fixtures.post(shop, "/merchant/v1/payment-intents", "{\"amount\":900,\"currency\":\"CNY\",\"appId\":\""
                + shop.app().value() + "\",\"description\":\"<b>Order</b> <script>x</script>\"}"));
        fixtures.prepare(shop, payer, intent);
        fixtures.post(shop, "/merchant/v1/payment-intents/" + intent.get("id").asString() + "/confirm", "{\"paymentMethod\":\"wallet\"}");
        return intent;
    }

    private HttpResponse<String> refund(SignedInOperators.Session session, String id, String amount) {
        return fixtures.https.send(fixtures.https.request("/console/payments/" + id + "/refunds").headers(session.headers())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("amount=" + amount)).build());
    }

    @Test
    void supportSeesTheIntentWithItsTransitionsAndTransfersAndMerchantTextEscaped() {
        PaymentFixtures.Shop shop = fixtures.shop();
        JsonNode intent = paidIntent(fixtures, shop);
        String id = intent.get("id").asString();
        SignedInOperators.Session support = new SignedInOperators(context, fixtures.https).signIn("payments-support", Role.SUPPORT);
        HttpResponse<String> list = fixtures.https.get("/console/payments", support.headers());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains(id).contains("&lt;b&gt;Order&lt;/b&gt;").doesNotContain("<script>x");
        HttpResponse<String> page = fixtures.https.get("/console/payments/" + id, support.headers());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("requires_payment_method").contains("succeeded").contains(">charge<")
                .doesNotContain("id=\"refund\"");
        assertThat(refund(support, id, "100").statusCode()).isEqualTo(403);
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().amountRefunded()).isZero();
    }

    @Test
    void anAdministratorWithPaymentsManageRefundsFromTheConsole() {
        PaymentFixtures.Shop shop = fixtures.shop();
        JsonNode intent = paidIntent(fixtures, shop);
        String id = intent.get("id").asString();
        SignedInOperators.Session admin = new SignedInOperators(context, fixtures.https).signIn("payments-admin", Role.PLATFORM_ADMIN, Role.SUPPORT);
        assertThat(fixtures.https.get("/console/payments/" + id, admin.headers()).body()).contains("id=\"refund\"");
        HttpResponse<String> refunded = refund(admin, id, "250");
        assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(302);
        assertThat(refunded.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("?outcome=refunded"));
        assertThat(intents.find(PaymentFixtures.id(intent)).orElseThrow().amountRefunded()).isEqualTo(250);
        assertThat(AuditEvents.where(fixtures.jdbc, e -> AuditEvents.text(e, "type").equals("refund.create")
                && AuditEvents.text(e, "detail").equals(id))).extracting(e -> AuditEvents.text(e, "actor"))
                .containsExactly(admin.operatorId().toString());
        assertThat(refund(admin, id, "651").statusCode()).isEqualTo(400);
    }
}
