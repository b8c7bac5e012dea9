package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorClient.json;
import static dev.capsule.server.identity.internal.OperatorSignInTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Identity and access together, as a person uses them: operators sign in with password and TOTP
 * through the identity API, the access module's matrix decides what their roles allow, API key
 * creation and approval need identity's step-up and two different people, and every key change lands
 * in the audit trail.
 */
@IdentityServerTest
class OperatorAccessTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired OperatorStore store;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    private TestOperators.Enrolled operator(String prefix, Role... roles) {
        return TestOperators.create(context, prefix, roles);
    }

    /** Password, then TOTP, through the identity API. */
    private OperatorClient signIn(TestOperators.Enrolled operator) {
        return OperatorClient.signedIn(https, operator);
    }

    private static String newKey(String name) {
        return "{\"name\": \"" + name + "\", \"permissions\": [\"metrics.read\"], \"expiresInDays\": 30}";
    }

    @Test
    void signedInOperatorGetsWhatItsRoleAllowsAndTwoPeopleMakeAWorkingKey() {
        var auditor = signIn(operator("auditor", Role.AUDITOR));
        assertThat(auditor.get("/api/v1/operators").statusCode()).as("auditors hold operators.read").isEqualTo(200);
        HttpResponse<String> refused = auditor.post("/api/v1/api-keys", newKey("auditor key"));
        assertProblem(refused, 403, "forbidden");
        assertThat(TestHttps.json(refused).get("permission").asString()).isEqualTo("apikeys.manage");
        JsonNode me = TestHttps.json(auditor.get("/api/v1/access/me"));
        assertThat(me.get("kind").asString()).isEqualTo("operator");
        assertThat(me.get("roles").toString()).isEqualTo("[\"auditor\"]");

        var creatorOperator = operator("creator", Role.PLATFORM_ADMIN);
        var creator = signIn(creatorOperator);
        HttpResponse<String> created = creator.post("/api/v1/api-keys", newKey("scraper"));
        assertThat(created.statusCode()).as("MFA just done counts as step-up: " + created.body()).isEqualTo(201);
        String keyId = TestHttps.json(created).get("key").get("keyId").asString();
        String token = TestHttps.json(created).get("token").asString();
        assertThat(TestHttps.json(created).get("key").get("createdBy").asString()).isEqualTo("operator:" + creatorOperator.id());
        assertProblem(bearer("/api/v1/access/me", token), 401, "unauthenticated");
        assertProblem(creator.post("/api/v1/api-keys/" + keyId + "/approve", ""), 403, "separation-of-duties");

        var approverOperator = operator("approver", Role.SECURITY_OFFICER);
        var approver = signIn(approverOperator);
        HttpResponse<String> approved = approver.post("/api/v1/api-keys/" + keyId + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        HttpResponse<String> used = bearer("/api/v1/access/me", token);
        assertThat(used.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(used).get("actor").asString()).isEqualTo("apikey:" + keyId);

        assertThat(keyEvents(keyId)).containsExactly(
                "api-key.create success " + creatorOperator.id(), "api-key.authenticate failure null not-approved",
                "api-key.approve success " + approverOperator.id());
        String everything = AuditEvents.where(jdbc, e -> keyId.equals(AuditEvents.text(e, "apiKey"))).toString();
        assertThat(everything).doesNotContain(token.substring(("capk_" + keyId + "_").length())).doesNotContain("scraper");
    }

    @Test
    void keyCreationAndApprovalNeedARecentSecondFactor() {
        var admin = operator("late", Role.PLATFORM_ADMIN);
        var client = signIn(admin);
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        assertProblem(client.post("/api/v1/api-keys", newKey("late key")), 403, "step-up-required");
        assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE name = 'late key'").query(Long.class).single()).isZero();

        assertThat(client.post("/api/v1/auth/step-up", json("code", admin.code())).statusCode()).isEqualTo(204);
        HttpResponse<String> created = client.post("/api/v1/api-keys", newKey("late key"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String keyId = TestHttps.json(created).get("key").get("keyId").asString();

        var officer = signIn(operator("late-officer", Role.SECURITY_OFFICER));
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        assertProblem(officer.post("/api/v1/api-keys/" + keyId + "/approve", ""), 403, "step-up-required");
        assertThat(keyEvents(keyId)).containsExactly("api-key.create success " + admin.id());
    }

    @Test
    void revocationAndRefusedKeysAreAudited() {
        var creator = signIn(operator("rev-creator", Role.PLATFORM_ADMIN));
        var officerOperator = operator("rev-officer", Role.SECURITY_OFFICER);
        var officer = signIn(officerOperator);
        HttpResponse<String> created = creator.post("/api/v1/api-keys", newKey("short lived"));
        String keyId = TestHttps.json(created).get("key").get("keyId").asString();
        String token = TestHttps.json(created).get("token").asString();
        assertThat(officer.post("/api/v1/api-keys/" + keyId + "/approve", "").statusCode()).isEqualTo(200);
        assertThat(officer.post("/api/v1/api-keys/" + keyId + "/revoke", "").statusCode()).isEqualTo(200);
        assertProblem(bearer("/api/v1/access/me", token), 401, "unauthenticated");

        List<String> events = keyEvents(keyId);
        assertThat(events).hasSize(4);
        assertThat(events.get(2)).isEqualTo("api-key.revoke success " + officerOperator.id());
        assertThat(events.get(3)).isEqualTo("api-key.authenticate failure null revoked");
    }

    @Test
    void nobodyAssignsRolesToThemselves() {
        var selfOperator = operator("self-admin", Role.PLATFORM_ADMIN);
        var self = signIn(selfOperator);
        HttpResponse<String> refused = self.put("/api/v1/operators/" + selfOperator.username() + "/roles",
                "{\"roles\": [\"platform-admin\", \"security-officer\"]}");
        assertProblem(refused, 403, "separation-of-duties");
        assertThat(store.findById(selfOperator.id()).orElseThrow().roles()).containsExactly(Role.PLATFORM_ADMIN);

        var other = signIn(operator("other-admin", Role.PLATFORM_ADMIN));
        HttpResponse<String> changed = other.put("/api/v1/operators/" + selfOperator.username() + "/roles",
                "{\"roles\": [\"platform-admin\", \"security-officer\"]}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(store.findById(selfOperator.id()).orElseThrow().roles())
                .containsExactlyInAnyOrder(Role.PLATFORM_ADMIN, Role.SECURITY_OFFICER);
    }

    @Test
    void securityOfficerReadsOperatorsButManagesNone() {
        var officer = signIn(operator("officer", Role.SECURITY_OFFICER));
        assertProblem(officer.post("/api/v1/operators", "{\"username\":\"nope-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"roles\":[\"reviewer\"]}"), 403, "forbidden");
        assertProblem(officer.put("/api/v1/operators/anyone/roles", "{\"roles\": []}"), 403, "forbidden");
        assertThat(officer.get("/api/v1/operators").statusCode()).isEqualTo(200);
    }

    /** The audit trail's events for a key, oldest first: "type outcome actor[ reason]". */
    private List<String> keyEvents(String keyId) {
        return AuditEvents.where(jdbc, e -> keyId.equals(AuditEvents.text(e, "apiKey"))).stream()
                .map(e -> AuditEvents.line(e, " ", "type", "outcome", "actor") + (e.has("reason") ? " " + AuditEvents.text(e, "reason") : ""))
                .toList();
    }

    private HttpResponse<String> bearer(String path, String token) {
        return https.send(https.request(path).header("Authorization", "Bearer " + token).GET().build());
    }
}
