package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.server.access.Role;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Sign-in over the JSON API against the real server: MFA, failures, replay, recovery, throttling, sessions, CSRF. */
@IdentityServerTest
class OperatorSignInTest {
    @Autowired TestHttps https;
    @Autowired OperatorStore store;
    @Autowired Passwords passwords;
    @Autowired TotpCodes totp;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;
    @Autowired Pseudonyms pseudonyms;

    private TestOperators.Enrolled operator(Role... roles) {
        return TestOperators.create(store, passwords, totp, clock, "op", roles);
    }

    private OperatorClient signedIn(TestOperators.Enrolled operator) {
        return OperatorClient.signedIn(https, operator);
    }

    @Test
    void signInWithPasswordAndTotpGivesASession() {
        var operator = operator(Role.REVIEWER);
        OperatorClient client = new OperatorClient(https);
        HttpResponse<String> first = client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(TestHttps.json(first).get("next").asString()).isEqualTo("second-factor");
        assertThat(client.get("/api/v1/auth/session").statusCode()).as("no session before the second factor").isEqualTo(401);

        String idBeforeSecondFactor = client.sessionCookie().orElseThrow();
        HttpResponse<String> second = client.post("/api/v1/auth/second-factor/totp", json("code", operator.code()));
        assertThat(TestHttps.json(second).get("next").asString()).isEqualTo("done");
        assertThat(client.sessionCookie().orElseThrow()).as("session id rotated").isNotEqualTo(idBeforeSecondFactor);

        JsonNode session = TestHttps.json(client.get("/api/v1/auth/session"));
        assertThat(session.get("username").asString()).isEqualTo(operator.username());
        assertThat(session.get("roles").get(0).asString()).isEqualTo("reviewer");
        assertThat(session.get("stage").asString()).isEqualTo("signed-in");
        assertThat(session.get("recoveryCodesLeft").asInt()).isEqualTo(10);
    }

    @Test
    void sessionCookieIsHostOnlySecureHttpOnlyAndStrict() {
        var operator = operator();
        HttpResponse<String> response = https.send(https.request("/api/v1/auth/sign-in").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json("username", operator.username(), "password", "x"))).build());
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith(IdentitySecurity.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).startsWith("__Host-").contains("Path=/").contains("Secure").contains("HttpOnly").contains("SameSite=Strict")
                .doesNotContain("Domain=");
    }

    @Test
    void unknownUserWrongPasswordAndWrongCodeLookAlike() {
        var operator = operator();
        String wrongCode = operator.code().equals("000000") ? "111111" : "000000";
        List<String[]> attempts = List.of(
                new String[] {"nobody-here", TestOperators.PASSWORD, operator.code()},
                new String[] {operator.username(), "wrong password entirely", operator.code()},
                new String[] {operator.username(), TestOperators.PASSWORD, wrongCode});
        List<String> firstBodies = new java.util.ArrayList<>();
        List<String> secondBodies = new java.util.ArrayList<>();
        for (String[] attempt : attempts) {
            OperatorClient client = new OperatorClient(https);
            HttpResponse<String> first = client.post("/api/v1/auth/sign-in", json("username", attempt[0], "password", attempt[1]));
            assertThat(first.statusCode()).isEqualTo(200);
            firstBodies.add(TestHttps.json(first).get("next").asString());
            HttpResponse<String> second = client.post("/api/v1/auth/second-factor/totp", json("code", attempt[2]));
            assertProblem(second, 401, "sign-in-failed");
            secondBodies.add(TestHttps.json(second).get("detail").asString() + TestHttps.json(second).get("title").asString());
            assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
        }
        assertThat(firstBodies).containsOnly("second-factor");
        assertThat(secondBodies).hasSize(3).containsOnly(secondBodies.get(0));
    }

    @Test
    void replayedTotpCodeIsRejected() {
        var operator = operator();
        String code = operator.code();
        OperatorClient first = new OperatorClient(https);
        first.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(first.post("/api/v1/auth/second-factor/totp", json("code", code)).statusCode()).isEqualTo(200);

        OperatorClient replay = new OperatorClient(https);
        replay.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertProblem(replay.post("/api/v1/auth/second-factor/totp", json("code", code)), 401, "sign-in-failed");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "subject").equals(operator.id().toString())
                && AuditEvents.text(e, "reason").equals("replayed"))).hasSize(1);

        OperatorClient later = new OperatorClient(https);
        later.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(later.post("/api/v1/auth/second-factor/totp", json("code", operator.nextCode())).statusCode())
                .as("the next step's code is still good").isEqualTo(200);
    }

    @Test
    void recoveryCodeSignsInOnce() {
        var operator = operator();
        String code = operator.recoveryCodes().get(3).toLowerCase().replace("-", " ");
        OperatorClient first = new OperatorClient(https);
        first.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(first.post("/api/v1/auth/second-factor/recovery-code", json("code", code)).statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(first.get("/api/v1/auth/session")).get("recoveryCodesLeft").asInt()).isEqualTo(9);

        OperatorClient again = new OperatorClient(https);
        again.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertProblem(again.post("/api/v1/auth/second-factor/recovery-code", json("code", code)), 401, "sign-in-failed");
    }

    @Test
    void repeatedFailuresBackOffAndTheBlockExpires() {
        var operator = operator();
        OperatorClient client = new OperatorClient(https);
        for (int i = 0; i < SignInThrottle.ACCOUNT_FAILURES_FREE; i++) {
            assertThat(client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", "not the password " + i))
                    .statusCode()).isEqualTo(200);
        }
        HttpResponse<String> blocked = client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertProblem(blocked, 429, "sign-in-throttled");
        assertThat(blocked.headers().firstValue("Retry-After")).hasValue("1");

        clock.advance(Duration.ofSeconds(2));
        assertThat(client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", "still wrong"))
                .statusCode()).as("block expired").isEqualTo(200);
        HttpResponse<String> doubled = client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertProblem(doubled, 429, "sign-in-throttled");
        assertThat(doubled.headers().firstValue("Retry-After")).hasValue("2");

        clock.advance(Duration.ofSeconds(3));
        OperatorClient fresh = new OperatorClient(https);
        fresh.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(fresh.post("/api/v1/auth/second-factor/totp", json("code", operator.code())).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM sign_in_throttle WHERE throttle_key = :k")
                .param("k", SignInThrottle.Keys.of(operator.username(), "x").account()).query(Long.class).single())
                .as("success clears the account's count").isZero();
    }

    @Test
    void unknownUsersAreThrottledTheSameWay() {
        OperatorClient client = new OperatorClient(https);
        for (int i = 0; i < SignInThrottle.ACCOUNT_FAILURES_FREE; i++) {
            client.post("/api/v1/auth/sign-in", json("username", "ghost-user", "password", "guess " + i));
        }
        assertProblem(client.post("/api/v1/auth/sign-in", json("username", "ghost-user", "password", "guess")), 429, "sign-in-throttled");
    }

    @Test
    void csrfTokenIsRequiredForCookieAuthenticatedChanges() {
        var operator = operator();
        OperatorClient client = signedIn(operator);
        assertProblem(client.post("/api/v1/auth/sign-out", null, false), 403, "csrf-token-invalid");
        HttpResponse<String> forged = client.send(https.request("/api/v1/auth/sign-out").header("Content-Type", "application/json")
                .header(IdentitySecurity.CSRF_HEADER, "forged").POST(java.net.http.HttpRequest.BodyPublishers.noBody()), false);
        assertProblem(forged, 403, "csrf-token-invalid");
        assertThat(client.get("/api/v1/auth/session").statusCode()).as("still signed in").isEqualTo(200);

        HttpResponse<String> out = client.post("/api/v1/auth/sign-out", null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
    }

    @Test
    void crossSiteFormPostWithoutTokenIsRefused() {
        HttpResponse<String> response = https.send(https.request("/console/sign-in").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=admin&password=x")).build());
        assertProblem(response, 403, "csrf-token-invalid");
    }

    @Test
    void signOutEverywhereEndsEveryOtherSession() {
        var operator = operator();
        OperatorClient laptop = signedIn(operator);
        clock.advance(Duration.ofSeconds(30));
        OperatorClient phone = signedIn(operator);
        assertThat(laptop.get("/api/v1/auth/session").statusCode()).isEqualTo(200);

        assertThat(phone.post("/api/v1/auth/sign-out-everywhere", null).statusCode()).isEqualTo(204);
        assertThat(laptop.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
        assertThat(phone.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
    }

    @Test
    void idleSessionEnds() {
        var operator = operator();
        OperatorClient client = signedIn(operator);
        long idle = Duration.ofMinutes(OperatorSessions.IDLE_MINUTES_MAX).plusSeconds(5).toMillis();
        // Spring Session measures idleness from the stored last access time: move it back.
        jdbc.sql("UPDATE spring_session SET last_access_time = last_access_time - :ms, expiry_time = expiry_time - :ms WHERE principal_name = :p")
                .param("ms", idle).param("p", operator.id().toString()).update();
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
    }

    @Test
    void sessionEndsAtItsAbsoluteLifetimeEvenWhenActive() {
        var operator = operator();
        OperatorClient client = signedIn(operator);
        clock.advance(Duration.ofHours(OperatorSessions.ABSOLUTE_HOURS_MAX).minusMinutes(1));
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
    }

    @Test
    void attemptsAreAuditedWithoutSecrets() {
        var operator = operator();
        OperatorClient client = new OperatorClient(https);
        client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", "hunter2 wrong password"));
        client.post("/api/v1/auth/second-factor/totp", json("code", "123456"));
        // The client address is in the log only as a pseudonym and sealed under the operator's key of the month
        // (crypto-shreddable; audit_detail_keys records it).
        String address = pseudonyms.tag("127.0.0.1");
        String monthKey = jdbc.sql("SELECT detail_key::text FROM audit_detail_keys WHERE operator_id = :o").param("o", operator.id())
                .query(String.class).single();
        List<String> rows = AuditEvents.where(jdbc, e -> AuditEvents.text(e, "subject").equals(operator.id().toString())).stream()
                .map(e -> AuditEvents.line(e, "|", "type", "outcome", "reason", "subject", "address") + "|" + AuditEvents.text(e.get("sealed"), "subject"))
                .toList();
        assertThat(rows).containsExactly(
                "sign-in.password|failure|wrong-password|" + operator.id() + "|" + address + "|" + monthKey,
                "sign-in.totp|failure|not-eligible|" + operator.id() + "|" + address + "|" + monthKey);
        assertThat(AuditEvents.all(jdbc).toString())
                .doesNotContain("hunter2").doesNotContain("123456").doesNotContain(operator.username()).doesNotContain("127.0.0.1");
    }

    @Test
    void disabledOperatorCannotSignInAndLosesSessions() {
        var operator = operator();
        OperatorClient client = signedIn(operator);
        store.setDisabled(operator.id(), true);
        assertThat(client.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
        clock.advance(Duration.ofSeconds(30));
        OperatorClient again = new OperatorClient(https);
        again.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertProblem(again.post("/api/v1/auth/second-factor/totp", json("code", operator.code())), 401, "sign-in-failed");
    }

    @Test
    void stepUpGatesSensitiveActions() {
        var admin = operator(Role.PLATFORM_ADMIN);
        OperatorClient client = signedIn(admin);
        String create = "{\"username\":\"new-reviewer-" + System.nanoTime() % 100000 + "\",\"roles\":[\"reviewer\"]}";
        assertThat(client.post("/api/v1/operators", create).statusCode()).as("fresh MFA counts as step-up").isEqualTo(201);

        clock.advance(Duration.ofMinutes(dev.capsule.server.access.StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        String another = "{\"username\":\"other-reviewer-" + System.nanoTime() % 100000 + "\",\"roles\":[\"reviewer\"]}";
        assertProblem(client.post("/api/v1/operators", another), 403, "step-up-required");
        assertProblem(client.post("/api/v1/auth/step-up", json("code", "000000".equals(admin.code()) ? "111111" : "000000")), 400, "code-rejected");
        assertThat(client.post("/api/v1/auth/step-up", json("code", admin.code())).statusCode()).isEqualTo(204);
        HttpResponse<String> created = client.post("/api/v1/operators", another);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TestHttps.json(created).get("oneTimePassword").asString()).hasSize(23);
        assertThat(TestHttps.json(created).get("operator").get("mustChangePassword").asBoolean()).isTrue();
    }

    @Test
    void operatorAdministrationNeedsThePlatformAdminRole() {
        var reviewer = operator(Role.REVIEWER);
        OperatorClient client = signedIn(reviewer);
        assertProblem(client.get("/api/v1/operators"), 403, "forbidden");
        assertProblem(new OperatorClient(https).get("/api/v1/operators"), 401, "unauthenticated");
        var admin = operator(Role.PLATFORM_ADMIN);
        assertThat(signedIn(admin).get("/api/v1/operators").statusCode()).isEqualTo(200);
    }

    @Test
    void theLastPlatformAdminCannotBeDisabledOrDemoted() {
        var admin = operator(Role.PLATFORM_ADMIN);
        OperatorClient client = signedIn(admin);
        // Disable every other admin through the store, then try to remove the last one over the API.
        jdbc.sql("UPDATE operators SET disabled = true WHERE id <> :id AND 'platform-admin' = ANY (roles)").param("id", admin.id()).update();
        try {
            // Demoting oneself is refused before the count (nobody changes their own roles), so with every other
            // admin disabled no one can demote the last one; disabling oneself reaches the last-admin rule.
            assertProblem(client.put("/api/v1/operators/" + admin.username() + "/roles", "{\"roles\":[\"auditor\"]}"), 403,
                    "separation-of-duties");
            assertProblem(client.post("/api/v1/operators/" + admin.username() + "/disable", null), 409, "last-platform-admin");
            assertThat(store.findById(admin.id()).orElseThrow().roles()).containsExactly(Role.PLATFORM_ADMIN);
        } finally {
            jdbc.sql("UPDATE operators SET disabled = false WHERE id <> :id AND 'platform-admin' = ANY (roles)").param("id", admin.id()).update();
        }
    }

    @Test
    void totpSecretIsSealedAtRest() {
        var operator = operator();
        byte[] stored = jdbc.sql("SELECT totp_secret_sealed FROM operators WHERE id = :id").param("id", operator.id()).query(byte[].class).single();
        byte[] secret = operator.secret().bytes(dev.capsule.core.crypto.SecretAccess.grant());
        assertThat(java.util.HexFormat.of().formatHex(stored)).doesNotContain(java.util.HexFormat.of().formatHex(secret));
        String hash = jdbc.sql("SELECT password_hash FROM operators WHERE id = :id").param("id", operator.id()).query(String.class).single();
        assertThat(hash).startsWith("$argon2id$");
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
    }

    static String codeAt(dev.capsule.core.auth.totp.TotpSecret secret, java.time.Instant at) {
        return TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, at);
    }
}
