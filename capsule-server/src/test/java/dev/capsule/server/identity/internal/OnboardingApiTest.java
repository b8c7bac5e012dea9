package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorClient.json;
import static dev.capsule.server.identity.internal.OperatorSignInTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The bootstrap admin's first sign-in over the API: nothing but onboarding until the password is changed and MFA enrolled. */
@IdentityServerTest
class OnboardingApiTest {
    @Autowired TestHttps https;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void bootstrapAdminMustChangePasswordAndEnrolBeforeAnythingElse() {
        assertThat(jdbc.sql("SELECT count(*) FROM operators WHERE username = 'admin' AND must_change_password AND NOT mfa_enrolled "
                + "AND roles = ARRAY['platform-admin']").query(Long.class).single()).isEqualTo(1);

        OperatorClient admin = new OperatorClient(https);
        HttpResponse<String> signIn = admin.post("/api/v1/auth/sign-in", json("username", "admin", "password", IdentityServerTest.ADMIN_PASSWORD));
        assertThat(TestHttps.json(signIn).get("next").asString()).isEqualTo("change-password");
        assertThat(TestHttps.json(admin.get("/api/v1/auth/session")).get("stage").asString()).isEqualTo("onboarding");

        // The gate: every other endpoint answers onboarding-required, whatever the role.
        assertProblem(admin.get("/api/v1/operators"), 403, "onboarding-required");
        assertProblem(admin.get("/api/v1/metrics"), 403, "onboarding-required");
        assertProblem(admin.post("/api/v1/auth/mfa/totp/enrolment", null), 403, "onboarding-required");

        assertProblem(admin.post("/api/v1/auth/password", json("currentPassword", IdentityServerTest.ADMIN_PASSWORD,
                "newPassword", "password1234")), 400, "password-rejected");
        assertProblem(admin.post("/api/v1/auth/password", json("currentPassword", "not it at all",
                "newPassword", "a fresh and private passphrase")), 400, "current-password-wrong");
        assertThat(admin.post("/api/v1/auth/password", json("currentPassword", IdentityServerTest.ADMIN_PASSWORD,
                "newPassword", "a fresh and private passphrase")).statusCode()).isEqualTo(204);
        assertProblem(admin.get("/api/v1/operators"), 403, "onboarding-required");
        String adminId = jdbc.sql("SELECT id::text FROM operators WHERE username = 'admin'").query(String.class).single();
        assertThat(dev.capsule.testing.server.AuditEvents.where(jdbc, e -> dev.capsule.testing.server.AuditEvents.text(e, "type")
                .equals("access.deny") && dev.capsule.testing.server.AuditEvents.text(e, "actor").equals(adminId)))
                .as("the gate's refusals are audited, by reason, without the raw path")
                .extracting(e -> dev.capsule.testing.server.AuditEvents.line(e, " ", "reason", "action"))
                .contains("onboarding-required GET /api/v1/operators", "onboarding-required POST /api/v1/auth/mfa/totp/enrolment");

        HttpResponse<String> started = admin.post("/api/v1/auth/mfa/totp/enrolment", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        JsonNode enrolment = TestHttps.json(started);
        assertThat(enrolment.get("otpauthUri").asString()).startsWith("otpauth://totp/Capsule:admin?secret=");
        assertThat(enrolment.get("qrCodePng").asString()).startsWith("data:image/png;base64,iVBORw0KGgo");
        TotpSecret secret = TotpSecret.fromBase32(enrolment.get("secret").asString());

        assertProblem(admin.post("/api/v1/auth/mfa/totp/enrolment/confirmation", json("code", "12345")), 400, "code-rejected");
        HttpResponse<String> confirmed = admin.post("/api/v1/auth/mfa/totp/enrolment/confirmation",
                json("code", TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant())));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(TestHttps.json(confirmed).get("recoveryCodes")).hasSize(10);

        assertThat(admin.get("/api/v1/operators").statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(admin.get("/api/v1/auth/session")).get("stage").asString()).isEqualTo("signed-in");

        // From now on the admin signs in with the new password and a code.
        clock.advance(Duration.ofSeconds(30));
        OperatorClient again = new OperatorClient(https);
        again.post("/api/v1/auth/sign-in", json("username", "admin", "password", "a fresh and private passphrase"));
        HttpResponse<String> second = again.post("/api/v1/auth/second-factor/totp",
                json("code", TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant())));
        assertThat(TestHttps.json(second).get("next").asString()).isEqualTo("done");
        clock.reset();
    }
}
