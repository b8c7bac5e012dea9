package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every 403 is written to the audit log as {@code access.deny}: who, which endpoint and permission, why;
 * whoever refused (the permission interceptor, step-up, separation of duties inside a transaction that
 * rolls back, the security chain), and nothing for a request that was allowed.
 */
@CapsuleServerTest
class DenialAuditTest {
    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired ApplicationContext context;
    AccessHttp http;

    @BeforeEach
    void setUp() {
        http = new AccessHttp(https, context);
    }

    @Test
    void aMissingPermissionIsRecordedWithTheOperatorTheEndpointAndThePermission() {
        var developer = new dev.capsule.server.identity.internal.SignedInOperators(context, https).signIn("denied-dev", Role.DEVELOPER);
        AccessHttp.assertProblem(http.get("/api/v1/audit/entries?start=0&end=1", developer.headers()), 403, "forbidden");
        assertThat(denials(developer.operatorId().toString())).singleElement().satisfies(e -> assertThat(
                AuditEvents.line(e, "|", "outcome", "reason", "action", "permission", "apiKey"))
                .isEqualTo("denied|forbidden|GET /api/v1/audit/entries|audit.read|null"));
        assertThat(http.get("/api/v1/access/me", developer.headers()).statusCode()).isEqualTo(200);
        assertThat(denials(developer.operatorId().toString())).as("an allowed request records no denial").hasSize(1);
    }

    @Test
    void aMachineDenialNamesTheKey() {
        AccessHttp.Key key = http.activeKey("denied machine", List.of(Permission.METRICS_READ.code()), "");
        AccessHttp.assertProblem(http.get("/api/v1/api-keys", AccessHttp.bearer(key.token())), 403, "forbidden");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "apiKey").equals(key.keyId())))
                .singleElement().satisfies(e -> assertThat(AuditEvents.line(e, "|", "reason", "action", "permission", "actor"))
                        .isEqualTo("forbidden|GET /api/v1/api-keys|apikeys.read|null"));
    }

    @Test
    void stepUpAndSeparationOfDutiesRefusalsAreRecordedEvenWhenTheTransactionRollsBack() {
        // A caller that is not an operator session can never step up.
        String[] headerAdmin = AccessHttp.operator("hdr-admin", Role.PLATFORM_ADMIN);
        AccessHttp.assertProblem(http.post("/api/v1/api-keys", "{\"name\": \"x\", \"permissions\": [\"metrics.read\"], "
                + "\"expiresInDays\": 1}", headerAdmin), 403, "step-up-required");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "reason").equals("step-up-required")))
                .extracting(e -> AuditEvents.line(e, "|", "action", "permission"))
                .contains("POST /api/v1/api-keys|apikeys.manage");

        AccessHttp.Key own = http.pendingKey("own approval", List.of(Permission.METRICS_READ.code()), "");
        AccessHttp.assertProblem(http.post("/api/v1/api-keys/" + own.keyId() + "/approve", "", http.creator().headers()),
                403, "separation-of-duties");
        assertThat(denials(http.creator().operatorId().toString())).extracting(e -> AuditEvents.line(e, "|", "reason", "action"))
                .containsExactly("separation-of-duties|POST /api/v1/api-keys/{keyId}/approve");
    }

    @Test
    void aRefusalOfTheSecurityChainIsRecordedWithoutTheRawPath() {
        HttpResponse<String> refused = https.get("/api/v1/test/admin-only", TestAuthentication.USER_HEADER, "chain-user");
        assertThat(refused.statusCode()).isEqualTo(403);
        List<JsonNode> chain = AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "action").startsWith("GET /api/v1/test"));
        assertThat(chain).isNotEmpty().allSatisfy(e -> {
            assertThat(AuditEvents.text(e, "reason")).isEqualTo("forbidden");
            assertThat(AuditEvents.text(e, "action")).isEqualTo("GET /api/v1/test/...");
            assertThat(AuditEvents.text(e, "address")).as("the address as a pseudonym").isNotEqualTo("null");
        });
    }

    private List<JsonNode> denials(String operatorId) {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "actor").equals(operatorId));
    }
}
