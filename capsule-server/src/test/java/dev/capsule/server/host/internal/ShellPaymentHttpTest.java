package dev.capsule.server.host.internal;

import static dev.capsule.server.host.ShellHttp.assertProblem;
import static dev.capsule.server.host.ShellHttp.cookie;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The host's payment parts through the real server (HTTPS, PostgreSQL), with demo users on (the context of
 * {@code DemoUsersTest}): the card endpoint's checks in order (origin, CSRF token, an open payment sheet of that
 * merchant for this user, the card's fields), the wallet page, and the demo users' step-up (single-use challenges
 * bound to payer and intent, codes accepted once, nobody else can step up).
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.host.demo-users=true")
class ShellPaymentHttpTest {
    static final MerchantId MERCHANT = MerchantId.random();
    static final String CARD = "{\"merchant\":\"" + MERCHANT.value() + "\",\"number\":\"4242 4242 4242 4241\",\"expiry\":\"12/40\",\"name\":\"Ada\"}";

    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transactions;
    @Autowired PayerRefs refs;
    @Autowired PaymentMerchants merchants;
    @Autowired HostSettings settings;
    @Autowired DemoCodeStepUp stepUp;
    @Autowired ShellPasskeys passkeys;

    String demoSession(String user) {
        HttpResponse<String> entered = ShellHttp.postForm(https, "/shell/demo", Map.of("user", user), "Origin", ShellHttp.origin(https));
        return ShellHttp.cookieSetBy(entered);
    }

    int denials() {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")).size();
    }

    HttpResponse<String> postCard(String shellCookie, String body, String... headers) {
        HttpRequest.Builder request = https.request("/shell/cards").header("Content-Type", "application/json")
                .header("Cookie", ShellHttp.COOKIE + "=" + shellCookie).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    @Test
    void theCardEndpointNeedsTheOriginTheCsrfTokenAndAnOpenSheetOfThatMerchantAndNamesTheBadField() {
        String session = demoSession("demo-bob");
        String csrf = ShellHttp.csrfOf(https.get("/shell/settings", cookie(session)).body());
        String origin = ShellHttp.origin(https);
        int denials = denials();
        assertProblem(postCard(session, CARD, "X-Shell-Csrf", csrf), 403, "origin-mismatch");
        assertProblem(postCard(session, CARD, "Origin", "https://evil.example", "X-Shell-Csrf", csrf), 403, "origin-mismatch");
        assertProblem(postCard(session, CARD, "Origin", origin), 403, "shell-csrf-token-invalid");
        assertProblem(postCard(session, CARD, "Origin", origin, "X-Shell-Csrf", csrf.substring(1) + "x"), 403, "shell-csrf-token-invalid");
        assertProblem(postCard(session, CARD, "Origin", origin, "X-Shell-Csrf", csrf), 409, "no-open-payment-sheet");

        Instant until = merchants.opened(PayerRefs.payer(new dev.capsule.server.host.ShellUserId("demo-bob")), MERCHANT, "Card Test Shop",
                Duration.ofMinutes(2));
        HttpResponse<String> luhn = postCard(session, CARD, "Origin", origin, "X-Shell-Csrf", csrf);
        assertProblem(luhn, 400, "card-invalid");
        assertThat(TestHttps.json(luhn).get("detail").asString()).startsWith("number:");
        assertThat(luhn.body()).as("the number is never repeated").doesNotContain("4241").doesNotContain("4242");
        HttpResponse<String> unknown = postCard(session, CARD.replace("\"name\"", "\"cvv\""), "Origin", origin, "X-Shell-Csrf", csrf);
        assertProblem(unknown, 400, "card-invalid");
        assertProblem(postCard(session, "x".repeat(ShellCardController.REQUEST_BYTES_MAX + 1), "Origin", origin, "X-Shell-Csrf", csrf),
                400, "card-invalid");
        assertThat(denials()).as("the four refusals of origin and token are audited").isGreaterThanOrEqualTo(denials + 4);

        String alice = demoSession("demo-alice");
        String aliceCsrf = ShellHttp.csrfOf(https.get("/shell/settings", cookie(alice)).body());
        assertProblem(postCard(alice, CARD, "Origin", origin, "X-Shell-Csrf", aliceCsrf), 409, "no-open-payment-sheet");
        merchants.closed(PayerRefs.payer(new dev.capsule.server.host.ShellUserId("demo-bob")), MERCHANT, until);
        assertProblem(postCard(session, CARD, "Origin", origin, "X-Shell-Csrf", csrf), 409, "no-open-payment-sheet");
    }

    @Test
    void theWalletPageIsAShellPageOfTheSignedInUser() {
        assertThat(https.get("/shell/wallet").statusCode()).as("no session: to sign in").isEqualTo(302);
        HttpResponse<String> page = https.get("/shell/wallet", cookie(demoSession("demo-carol")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Wallet</h1>").contains("id=\"demo-banner\"").doesNotContain("<script");
        assertThat(https.get("/shell/settings", cookie(demoSession("demo-carol"))).body()).contains("href=\"/shell/wallet\"");
    }

    @Test
    void aDemoUsersStepUpIsOneCodeForOneChallengeOfOnePayerAndIntent() {
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        DemoCodeStepUp demo = new DemoCodeStepUp(jdbc, refs, settings, clock);
        HostPayerStepUp codes = new HostPayerStepUp(jdbc, transactions, refs, passkeys, demo, clock);
        PayerId alice = new PayerId("demo-alice");
        PaymentIntentId intent = PaymentIntentId.random();
        PaymentIntentId other = PaymentIntentId.random();
        JsonNode challenge = codes.challenge(alice, intent).orElseThrow();
        assertThat(challenge.get("kind").asString()).isEqualTo("code");
        JsonNode right = Wire.object().put("code", demo.currentCode(alice));
        assertThat(codes.verify(alice, other, right)).as("another intent has no challenge").isFalse();
        assertThat(codes.verify(new PayerId("demo-bob"), intent, right)).as("another payer").isFalse();
        assertThat(codes.verify(alice, intent, right)).isTrue();
        assertThat(codes.verify(alice, intent, right)).as("the challenge is used up").isFalse();
        codes.challenge(alice, other);
        assertThat(codes.verify(alice, other, right)).as("the same code is accepted once").isFalse();
        codes.challenge(alice, intent);
        assertThat(codes.verify(alice, intent, Wire.object().put("code", demo.currentCode(alice)).put("x", 1))).as("extra field").isFalse();
        assertThat(codes.verify(alice, intent, right)).as("a wrong answer used the challenge up").isFalse();

        assertThat(codes.challenge(new PayerId("acct-1001"), intent)).as("not a demo user: no step-up here").isEmpty();
        assertThat(codes.verify(new PayerId("acct-1001"), intent, right)).isFalse();
        assertThat(jdbc.sql("SELECT count(*) FROM host_payer_step_ups WHERE payer_ref = :p").param("p", refs.ref(alice)).query(Long.class).single())
                .as("nothing left to answer").isZero();
        assertThat(https.get("/shell/demo").body()).contains("id=\"step-up-secrets\"")
                .contains(stepUp.demoSecret(alice).orElseThrow());
    }
}
