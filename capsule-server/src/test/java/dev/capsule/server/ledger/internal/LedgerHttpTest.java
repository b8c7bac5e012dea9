package dev.capsule.server.ledger.internal;

import static dev.capsule.server.ledger.internal.LedgerFixture.EUR;
import static dev.capsule.server.ledger.internal.LedgerFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.NewTransfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The ledger's operator API and console page over real HTTPS: payments.read to see, the problems, the audited verification. */
@CapsuleServerTest
class LedgerHttpTest {
    private static final String[] AUDITOR = {TestAuthentication.USER_HEADER, "ledger-auditor", TestAuthentication.ROLES_HEADER, Role.AUDITOR.name()};

    @Autowired
    TestHttps https;
    @Autowired
    JdbcLedger ledger;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;

    private HttpResponse<String> post(String path, String... headers) {
        return https.send(https.request(path).headers(headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build());
    }

    @Test
    void anAuditorReadsAnAccountAndItsTransfers() {
        LedgerFixture fixture = new LedgerFixture(ledger);
        AccountId wallet = fixture.wallet(100);
        AccountId merchant = fixture.account(EUR);
        NewTransfer pending = transfer(wallet, merchant, 30, TransferFlag.PENDING);
        assertThat(ledger.createTransfers(List.of(pending))).containsExactly(TransferResult.OK);

        HttpResponse<String> account = https.get("/api/v1/ledger/accounts/" + wallet, AUDITOR);
        assertThat(account.statusCode()).isEqualTo(200);
        JsonNode json = TestHttps.json(account);
        assertThat(json.get("creditBalance").asLong()).isEqualTo(100);
        assertThat(json.get("debitsPending").asLong()).isEqualTo(30);
        assertThat(json.get("flags").get(0).asString()).isEqualTo("debits_must_not_exceed_credits");

        JsonNode transfers = TestHttps.json(https.get("/api/v1/ledger/accounts/" + wallet + "/transfers?limit=10", AUDITOR)).get("transfers");
        assertThat(transfers).hasSize(2);
        assertThat(transfers.get(0).get("id").asString()).isEqualTo(pending.id().toString());
        assertThat(transfers.get(0).get("state").asString()).isEqualTo("pending");
        JsonNode one = TestHttps.json(https.get("/api/v1/ledger/transfers/" + pending.id(), AUDITOR));
        assertThat(one.get("amount").asLong()).isEqualTo(30);

        JsonNode page = TestHttps.json(https.get("/api/v1/ledger/accounts?ledger=978&limit=500", AUDITOR));
        assertThat(page.get("accounts").findValuesAsString("id")).contains(wallet.toString(), merchant.toString());
    }

    @Test
    void readingTheLedgerNeedsPaymentsRead() {
        AccountId account = new LedgerFixture(ledger).account(EUR);
        HttpResponse<String> developer = https.get("/api/v1/ledger/accounts/" + account,
                TestAuthentication.USER_HEADER, "ledger-developer", TestAuthentication.ROLES_HEADER, Role.DEVELOPER.name());
        assertThat(developer.statusCode()).isEqualTo(403);
        assertThat(https.get("/api/v1/ledger/accounts/" + account).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/ledger/verifications", TestAuthentication.USER_HEADER, "ledger-developer",
                TestAuthentication.ROLES_HEADER, Role.DEVELOPER.name()).statusCode()).isEqualTo(403);
    }

    @Test
    void badAndUnknownIdsHaveTheirOwnProblems() {
        HttpResponse<String> bad = https.get("/api/v1/ledger/accounts/not-a-uuid", AUDITOR);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHttps.json(bad).get("type").asString()).endsWith("/ledger-invalid-id");
        HttpResponse<String> unknown = https.get("/api/v1/ledger/accounts/" + UUID.randomUUID(), AUDITOR);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestHttps.json(unknown).get("type").asString()).endsWith("/ledger-account-not-found");
        HttpResponse<String> transfer = https.get("/api/v1/ledger/transfers/" + UUID.randomUUID(), AUDITOR);
        assertThat(TestHttps.json(transfer).get("type").asString()).endsWith("/ledger-transfer-not-found");
        assertThat(https.get("/api/v1/ledger/accounts?limit=501", AUDITOR).statusCode()).isEqualTo(400);
    }

    @Test
    void aVerificationAnswersOkAndIsAudited() {
        new LedgerFixture(ledger).wallet(10);
        HttpResponse<String> response = post("/api/v1/ledger/verifications", AUDITOR);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = TestHttps.json(response);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("problems")).isEmpty();
        String detail = "accounts=" + json.get("accounts").asLong() + " transfers=" + json.get("transfers").asLong() + " problems=0";
        assertThat(AuditEvents.where(jdbc, e -> "ledger.verify".equals(AuditEvents.text(e, "type")) && detail.equals(AuditEvents.text(e, "detail"))))
                .isNotEmpty();
    }

    @Test
    void theConsolePageListsAccountsShowsTransfersAndRunsAVerification() {
        AccountId account = new AccountId(UUID.randomUUID());
        assertThat(ledger.createAccounts(List.of(new NewAccount(account, EUR, 5, Set.of(), "<b>ref</b>\u2028x")))).containsExactly(AccountResult.OK);
        AccountId other = new LedgerFixture(ledger).account(EUR);
        NewTransfer t = transfer(other, account, 42);
        assertThat(ledger.createTransfers(List.of(t))).containsExactly(TransferResult.OK);
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("ledger-console", Role.AUDITOR);

        HttpResponse<String> detail = https.get("/console/ledger/accounts/" + account, auditor.headers());
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains(t.id().toString()).contains("&lt;b&gt;ref&lt;/b&gt;\\u2028x").doesNotContain("<b>ref");

        HttpResponse<String> verified = post("/console/ledger/verification", auditor.headers());
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(verified.body()).contains("id=\"result\" data-ok=\"true\"").contains("Every invariant holds");

        SignedInOperators.Session developer = new SignedInOperators(context, https).signIn("ledger-console-dev", Role.DEVELOPER);
        assertThat(https.get("/console/ledger", developer.headers()).statusCode()).isEqualTo(403);
        assertThat(https.get("/console/ledger", auditor.headers()).statusCode()).isEqualTo(200);
    }
}
