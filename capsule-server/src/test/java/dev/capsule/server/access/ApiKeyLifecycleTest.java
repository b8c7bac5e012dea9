package dev.capsule.server.access;

import static dev.capsule.server.access.AccessHttp.assertProblem;
import static dev.capsule.server.access.AccessHttp.bearer;
import static dev.capsule.server.access.AccessHttp.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The API key lifecycle over real HTTPS on a real database: create, show once, approve, use, limit, revoke, expire. */
@CapsuleServerTest
@Import(RecordingKeyEvents.class)
class ApiKeyLifecycleTest {

    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RecordingKeyEvents.Recorded events;
    @Autowired
    ApplicationContext context;
    AccessHttp http;
    /** A signed-in platform-admin and security-officer (real sessions: step-up is satisfied). */
    String[] admin;
    String[] officer;

    @BeforeEach
    void setUp() {
        http = new AccessHttp(https, context);
        admin = http.creator().headers();
        officer = http.approver().headers();
    }

    @Test
    void createdKeyIsShownOnceStoredHashedAndPendingUntilApproved() throws Exception {
        HttpResponse<String> created = http.post("/api/v1/api-keys",
                "{\"name\": \"payments backend\", \"permissions\": [\"payments.read\", \"metrics.read\"], \"expiresInDays\": 90}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(created);
        String token = body.get("token").asString();
        String keyId = body.get("key").get("keyId").asString();
        assertThat(token).matches("capk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").startsWith("capk_" + keyId + "_");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/api-keys/" + keyId);
        assertThat(body.get("key").get("status").asString()).isEqualTo("pending");
        assertThat(body.get("key").get("permissions").toString()).isEqualTo("[\"metrics.read\",\"payments.read\"]");
        assertThat(body.get("key").get("createdBy").asString()).isEqualTo(http.creator().actorId());
        assertThat(Instant.parse(body.get("key").get("expiresAt").asString()))
                .isBetween(Instant.now().plus(89, ChronoUnit.DAYS), Instant.now().plus(91, ChronoUnit.DAYS));

        HttpResponse<String> read = http.get("/api/v1/api-keys/" + keyId, admin);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(token.substring(22)).doesNotContain("token").doesNotContain("secret");
        HttpResponse<String> list = http.get("/api/v1/api-keys?limit=200", officer);
        assertThat(list.body()).contains(keyId).doesNotContain(token.substring(22));

        byte[] stored = jdbc.sql("SELECT secret_sha256 FROM api_key WHERE key_id = ?").param(keyId).query(byte[].class).single();
        assertThat(stored).isEqualTo(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        String everything = jdbc.sql("SELECT row_to_json(k)::text FROM api_key k WHERE key_id = ?").param(keyId).query(String.class).single();
        assertThat(everything).doesNotContain(token.substring(22));

        assertProblem(http.get("/api/v1/access/me", bearer(token)), 401, ProblemType.UNAUTHENTICATED);
        assertThat(events.of(ApiKeyEvent.Refused.class, keyId)).extracting(ApiKeyEvent.Refused::reason)
                .containsExactly(ApiKeyEvent.Refusal.NOT_APPROVED);

        HttpResponse<String> approved = http.post("/api/v1/api-keys/" + keyId + "/approve", "", officer);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(TestHttps.json(approved).get("status").asString()).isEqualTo("active");
        assertThat(TestHttps.json(approved).get("approvedBy").asString()).isEqualTo(http.approver().actorId());

        HttpResponse<String> me = http.get("/api/v1/access/me", bearer(token));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(TestHttps.json(me).get("kind").asString()).isEqualTo("machine");
        assertThat(TestHttps.json(me).get("actor").asString()).isEqualTo("apikey:" + keyId);
        assertThat(TestHttps.json(me).get("permissions").toString()).isEqualTo("[\"metrics.read\",\"payments.read\"]");

        assertThat(events.of(ApiKeyEvent.Created.class, keyId)).singleElement().satisfies(event -> {
            assertThat(Caller.Operator.actorIdOf(event.actor())).isEqualTo(http.creator().actorId());
            assertThat(event.scope()).containsExactlyInAnyOrder(Permission.PAYMENTS_READ, Permission.METRICS_READ);
            assertThat(event.toString()).doesNotContain(token.substring(22));
        });
        assertThat(events.of(ApiKeyEvent.Approved.class, keyId)).extracting(e -> Caller.Operator.actorIdOf(e.actor()))
                .containsExactly(http.approver().actorId());
    }

    @Test
    void creatingOrApprovingAKeyNeedsAnOperatorSessionWithRecentStepUp() {
        // Another authentication mechanism holding the role is not an identity session: step-up cannot be satisfied.
        String[] roleWithoutSession = operator("no-session-admin", Role.PLATFORM_ADMIN);
        assertProblem(http.post("/api/v1/api-keys", "{\"name\": \"no step-up\", \"permissions\": [\"metrics.read\"], "
                + "\"expiresInDays\": 30}", roleWithoutSession), 403, "step-up-required");
        assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE name = 'no step-up'").query(Long.class).single()).isZero();
        AccessHttp.Key key = http.pendingKey("approved without step-up", List.of("metrics.read"), "");
        assertProblem(http.post("/api/v1/api-keys/" + key.keyId() + "/approve", "", operator("no-session-officer",
                Role.SECURITY_OFFICER)), 403, "step-up-required");
        assertThat(TestHttps.json(http.get("/api/v1/api-keys/" + key.keyId(), admin)).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void creatorCannotApproveTheirOwnKey() {
        AccessHttp.Key key = http.pendingKey("self approved", List.of("metrics.read"), "");
        // The creator holds apikeys.approve too (platform-admin), so only the two-person rule stops this.
        HttpResponse<String> response = http.post("/api/v1/api-keys/" + key.keyId() + "/approve", "", admin);
        assertProblem(response, 403, AccessProblems.SEPARATION_OF_DUTIES);
        assertThat(TestHttps.json(response).get("duty").asString()).isEqualTo("approve API key " + key.keyId());
        assertThat(TestHttps.json(http.get("/api/v1/api-keys/" + key.keyId(), admin)).get("status").asString()).isEqualTo("pending");
        assertProblem(http.get("/api/v1/access/me", key.bearer()), 401, ProblemType.UNAUTHENTICATED);
    }

    @Test
    void approvingTwiceOrApprovingARevokedKeyIsAConflict() {
        AccessHttp.Key key = http.activeKey("approved twice", List.of("metrics.read"), "");
        assertProblem(http.post("/api/v1/api-keys/" + key.keyId() + "/approve", "", officer), 409, AccessProblems.API_KEY_STATE);
        AccessHttp.Key revoked = http.pendingKey("revoked while pending", List.of("metrics.read"), "");
        assertThat(http.post("/api/v1/api-keys/" + revoked.keyId() + "/revoke", "", officer).statusCode()).isEqualTo(200);
        assertProblem(http.post("/api/v1/api-keys/" + revoked.keyId() + "/approve", "", officer), 409, AccessProblems.API_KEY_STATE);
    }

    @Test
    void keyCallsOnlyWhatItsScopeAllows() {
        AccessHttp.Key key = http.activeKey("metrics scraper", List.of("metrics.read"), "");
        HttpResponse<String> metrics = http.get("/api/v1/metrics", key.bearer());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("capsule_apikey_authentications_total{outcome=\"authenticated\"}");
        HttpResponse<String> refused = http.get("/api/v1/api-keys", key.bearer());
        assertProblem(refused, 403, ProblemType.FORBIDDEN);
        assertThat(TestHttps.json(refused).get("permission").asString()).isEqualTo("apikeys.read");
        assertProblem(http.post("/api/v1/api-keys", "{}", key.bearer()), 403, ProblemType.FORBIDDEN);
    }

    @Test
    void operatorOnlyAndUnknownPermissionsAreRefusedAtCreation() {
        HttpResponse<String> response = http.post("/api/v1/api-keys",
                "{\"name\": \"too strong\", \"permissions\": [\"metrics.read\", \"roles.assign\", \"no.such\", \"metrics.read\"], "
                        + "\"expiresInDays\": 30}", admin);
        assertProblem(response, 400, ProblemType.VALIDATION);
        JsonNode errors = TestHttps.json(response).get("errors");
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0).get("field").asString()).isEqualTo("permissions[1]");
        assertThat(errors.get(0).get("message").asString()).contains("operators only");
        assertThat(errors.get(1).get("message").asString()).contains("there is no permission 'no.such'");
        assertThat(errors.get(2).get("message").asString()).contains("listed twice");
        assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE name = 'too strong'").query(Long.class).single()).isZero();
    }

    @Test
    void expiryIsRequiredAndAtMost365Days() {
        for (String expiry : new String[] {"", ", \"expiresInDays\": 0", ", \"expiresInDays\": 366"}) {
            HttpResponse<String> response = http.post("/api/v1/api-keys",
                    "{\"name\": \"expiry\", \"permissions\": [\"metrics.read\"]" + expiry + "}", admin);
            assertProblem(response, 400, ProblemType.VALIDATION);
            assertThat(TestHttps.json(response).get("errors").get(0).get("field").asString()).isEqualTo("expiresInDays");
        }
        assertThat(http.post("/api/v1/api-keys", "{\"name\": \"expiry\", \"permissions\": [\"metrics.read\"], \"expiresInDays\": 365}",
                admin).statusCode()).isEqualTo(201);
    }

    @Test
    void rateLimitThatCannotRefillInADayIsRefused() {
        HttpResponse<String> response = http.post("/api/v1/api-keys", "{\"name\": \"slow\", \"permissions\": [\"metrics.read\"], "
                + "\"expiresInDays\": 1, \"burstRequests\": 2000, \"refillPerMinute\": 1}", admin);
        assertProblem(response, 400, ProblemType.VALIDATION);
        assertThat(TestHttps.json(response).get("errors").get(0).get("message").asString()).contains("must refill within 1440 minutes");
    }

    @Test
    void revokedKeyIsRefusedLikeAnUnknownOne() {
        AccessHttp.Key key = http.activeKey("to revoke", List.of("metrics.read"), "");
        assertThat(http.get("/api/v1/access/me", key.bearer()).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = http.post("/api/v1/api-keys/" + key.keyId() + "/revoke", "", officer);
        assertThat(TestHttps.json(revoked).get("status").asString()).isEqualTo("revoked");
        assertThat(TestHttps.json(revoked).get("revokedBy").asString()).isEqualTo(http.approver().actorId());

        HttpResponse<String> refused = http.get("/api/v1/access/me", key.bearer());
        HttpResponse<String> unknown = http.get("/api/v1/access/me", bearer("capk_0123456789abcdef_" + "A".repeat(43)));
        HttpResponse<String> none = http.get("/api/v1/access/me");
        for (HttpResponse<String> response : List.of(refused, unknown, none)) {
            assertProblem(response, 401, ProblemType.UNAUTHENTICATED);
        }
        assertThat(refused.body()).isEqualTo(unknown.body()).isEqualTo(none.body());
        assertThat(events.of(ApiKeyEvent.Revoked.class, key.keyId())).hasSize(1);
        assertThat(events.of(ApiKeyEvent.Refused.class, key.keyId())).extracting(ApiKeyEvent.Refused::reason)
                .containsExactly(ApiKeyEvent.Refusal.REVOKED);
        assertProblem(http.post("/api/v1/api-keys/" + key.keyId() + "/revoke", "", officer), 409, AccessProblems.API_KEY_STATE);
    }

    @Test
    void wrongSecretExpiredAndMalformedKeysAreRefused() {
        AccessHttp.Key key = http.activeKey("to break", List.of("metrics.read"), "");
        String wrongSecret = key.token().substring(0, key.token().length() - 2) + (key.token().endsWith("AA") ? "BA" : "AA");
        assertProblem(http.get("/api/v1/access/me", bearer(wrongSecret)), 401, ProblemType.UNAUTHENTICATED);
        assertProblem(http.get("/api/v1/access/me", bearer(key.token().toUpperCase())), 401, ProblemType.UNAUTHENTICATED);
        assertProblem(http.get("/api/v1/access/me", bearer(key.token() + "x")), 401, ProblemType.UNAUTHENTICATED);
        assertProblem(http.get("/api/v1/access/me", bearer(key.token().substring(0, 30))), 401, ProblemType.UNAUTHENTICATED);
        assertThat(http.get("/api/v1/access/me", "Authorization", "bearer " + key.token()).statusCode())
                .as("the scheme is case-insensitive").isEqualTo(200);

        jdbc.sql("UPDATE api_key SET expires_at = now() - interval '1 second', created_at = now() - interval '1 day' "
                + "WHERE key_id = ?").param(key.keyId()).update();
        assertProblem(http.get("/api/v1/access/me", key.bearer()), 401, ProblemType.UNAUTHENTICATED);
        assertThat(TestHttps.json(http.get("/api/v1/api-keys/" + key.keyId(), admin)).get("status").asString()).isEqualTo("expired");
        assertThat(events.of(ApiKeyEvent.Refused.class, key.keyId())).extracting(ApiKeyEvent.Refused::reason)
                .containsExactly(ApiKeyEvent.Refusal.WRONG_SECRET, ApiKeyEvent.Refusal.EXPIRED);
    }

    @Test
    void lastUseIsRecordedAtMostOnceAMinute() {
        AccessHttp.Key key = http.activeKey("last use", List.of("metrics.read"), "");
        assertThat(TestHttps.json(http.get("/api/v1/api-keys/" + key.keyId(), admin)).get("lastUsedAt").isNull()).isTrue();
        http.get("/api/v1/access/me", key.bearer());
        Instant first = jdbc.sql("SELECT last_used_at FROM api_key WHERE key_id = ?").param(key.keyId())
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(first).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        for (int i = 0; i < 3; i++) {
            http.get("/api/v1/access/me", key.bearer());
        }
        Instant after = jdbc.sql("SELECT last_used_at FROM api_key WHERE key_id = ?").param(key.keyId())
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(after).isEqualTo(first);
        assertThat(TestHttps.json(http.get("/api/v1/api-keys/" + key.keyId(), admin)).get("lastUsedAt").asString()).isNotBlank();
    }

    @Test
    void keyRateLimitAnswers429WithRetryAfter() {
        AccessHttp.Key key = http.activeKey("limited", List.of("metrics.read"), ", \"burstRequests\": 2, \"refillPerMinute\": 2");
        assertThat(http.get("/api/v1/access/me", key.bearer()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/access/me", key.bearer()).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = http.get("/api/v1/access/me", key.bearer());
        assertProblem(limited, 429, AccessProblems.RATE_LIMITED);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 30L);
        assertThat(TestHttps.json(limited).get("limit").asString()).isEqualTo("api-key");
        assertThat(TestHttps.json(limited).get("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(limited.headers().firstValue("Strict-Transport-Security")).isPresent();
        // Another key, and operators, are not affected.
        AccessHttp.Key other = http.activeKey("not limited", List.of("metrics.read"), "");
        assertThat(http.get("/api/v1/access/me", other.bearer()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/access/me", admin).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongSecretsCannotDrainAKeysBucket() {
        AccessHttp.Key key = http.activeKey("drain target", List.of("metrics.read"), ", \"burstRequests\": 2, \"refillPerMinute\": 2");
        String wrongSecret = key.token().substring(0, key.token().length() - 2) + (key.token().endsWith("AA") ? "BA" : "AA");
        for (int i = 0; i < 5; i++) {
            assertProblem(http.get("/api/v1/access/me", bearer(wrongSecret)), 401, ProblemType.UNAUTHENTICATED);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM rate_bucket WHERE bucket = ?").param("key:" + key.keyId())
                .query(Long.class).single()).as("wrong secrets take nothing from the key's bucket").isZero();
        // The holder still has the whole burst; the right secret is charged to the key.
        assertThat(http.get("/api/v1/access/me", key.bearer()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/access/me", key.bearer()).statusCode()).isEqualTo(200);
        assertProblem(http.get("/api/v1/access/me", key.bearer()), 429, AccessProblems.RATE_LIMITED);
        // And once it is empty, a wrong secret is an anonymous 401 (paid by the address), not the key's 429.
        assertProblem(http.get("/api/v1/access/me", bearer(wrongSecret)), 401, ProblemType.UNAUTHENTICATED);
        assertThat(events.of(ApiKeyEvent.Refused.class, key.keyId())).extracting(ApiKeyEvent.Refused::reason)
                .containsExactly(ApiKeyEvent.Refusal.WRONG_SECRET, ApiKeyEvent.Refusal.WRONG_SECRET, ApiKeyEvent.Refusal.WRONG_SECRET,
                        ApiKeyEvent.Refusal.WRONG_SECRET, ApiKeyEvent.Refusal.WRONG_SECRET, ApiKeyEvent.Refusal.WRONG_SECRET);
    }

    @Test
    void inactiveKeysTakeNothingFromTheirBucket() {
        AccessHttp.Key revoked = http.activeKey("inactive, revoked", List.of("metrics.read"), "");
        assertThat(http.post("/api/v1/api-keys/" + revoked.keyId() + "/revoke", "", officer).statusCode()).isEqualTo(200);
        AccessHttp.Key expired = http.activeKey("inactive, expired", List.of("metrics.read"), "");
        jdbc.sql("UPDATE api_key SET expires_at = now() - interval '1 second', created_at = now() - interval '1 day' "
                + "WHERE key_id = ?").param(expired.keyId()).update();
        for (AccessHttp.Key key : List.of(revoked, expired)) {
            assertProblem(http.get("/api/v1/access/me", key.bearer()), 401, ProblemType.UNAUTHENTICATED);
            assertThat(jdbc.sql("SELECT count(*) FROM rate_bucket WHERE bucket = ?").param("key:" + key.keyId())
                    .query(Long.class).single()).isZero();
        }
    }

    @Test
    void listingPagesInCreationOrderWithBoundedPageSize() {
        for (int i = 0; i < 3; i++) {
            http.pendingKey("page " + i, List.of("metrics.read"), "");
        }
        JsonNode first = TestHttps.json(http.get("/api/v1/api-keys?limit=2", admin));
        assertThat(first.get("items")).hasSize(2);
        String next = first.get("next").asString();
        JsonNode second = TestHttps.json(http.get("/api/v1/api-keys?limit=2&after=" + next, admin));
        assertThat(second.get("items").get(0).get("keyId").asString()).isNotEqualTo(first.get("items").get(1).get("keyId").asString());
        assertProblem(http.get("/api/v1/api-keys?limit=201", admin), 400, ProblemType.VALIDATION);
        assertProblem(http.get("/api/v1/api-keys?limit=0", admin), 400, ProblemType.VALIDATION);
        assertProblem(http.get("/api/v1/api-keys?after=ffffffffffffffff", admin), 400, ProblemType.VALIDATION);
        assertProblem(http.get("/api/v1/api-keys/not-a-key-id", admin), 404, ProblemType.NOT_FOUND);
        assertProblem(http.get("/api/v1/api-keys/ffffffffffffffff", admin), 404, ProblemType.NOT_FOUND);
    }

    @Test
    void callerSeesItselfAsAnOperatorWithItsRolesPermissions() {
        JsonNode me = TestHttps.json(http.get("/api/v1/access/me", operator("ann", Role.AUDITOR, Role.SUPPORT)));
        assertThat(me.get("kind").asString()).isEqualTo("operator");
        assertThat(me.get("actor").asString()).isEqualTo("operator:ann");
        assertThat(me.get("roles").toString()).isEqualTo("[\"auditor\",\"support\"]");
        assertThat(me.get("permissions").toString()).contains("\"audit.read\"", "\"payments.read\"", "\"privacy.manage\"")
                .doesNotContain("apikeys.manage");
    }
}
