package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorSignInTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The keys API as operators use it: only security officers (keys.manage) rotate keys, only after a recent
 * second factor (identity's step-up), and can follow the rotation; unknown purposes are a problem naming
 * the valid ones.
 */
@IdentityServerTest
class KeysApiAccessTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired MutableClock clock;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private OperatorClient signIn(String prefix, Role role) {
        return OperatorClient.signedIn(https, TestOperators.create(context, prefix, role));
    }

    @Test
    void aSecurityOfficerRotatesAfterAFreshSecondFactorAndFollowsTheRotation() {
        OperatorClient officer = signIn("keys-officer", Role.SECURITY_OFFICER);
        HttpResponse<String> started = officer.post("/api/v1/keys/pseudonyms/rotations", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode rotation = TestHttps.json(started);
        String id = rotation.get("id").asString();
        assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/keys/rotations/" + id);
        assertThat(rotation.get("purpose").asString()).isEqualTo("pseudonyms");
        assertThat(rotation.get("state").asString()).isEqualTo("rewrapping");

        HttpResponse<String> status = officer.get("/api/v1/keys/rotations/" + id);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(status).get("newKeyId").asString()).isEqualTo(rotation.get("newKeyId").asString());
        assertProblem(officer.post("/api/v1/keys/pseudonyms/rotations", ""), 409, "key-rotation-running");

        HttpResponse<String> keys = officer.get("/api/v1/keys");
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains(rotation.get("newKeyId").asString()).doesNotContain("keyset");
    }

    @Test
    void operatorsSignInWithTheirTotpSecretAfterItWasReEncryptedUnderANewKey() throws InterruptedException {
        TestOperators.Enrolled enrolledBefore = TestOperators.create(context, "keys-enrolled", Role.AUDITOR);
        OperatorClient officer = signIn("keys-rotator", Role.SECURITY_OFFICER);
        HttpResponse<String> started = officer.post("/api/v1/keys/operator-secrets/rotations", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = TestHttps.json(started).get("id").asString();
        String newKey = TestHttps.json(started).get("newKeyId").asString();
        JsonNode status = TestHttps.json(officer.get("/api/v1/keys/rotations/" + id));
        for (int i = 0; i < 300 && status.get("state").asString().equals("rewrapping"); i++) {
            Thread.sleep(200);
            status = TestHttps.json(officer.get("/api/v1/keys/rotations/" + id));
        }
        assertThat(status.get("state").asString()).isEqualTo("done");
        assertThat(status.get("resealed").asLong()).isPositive();
        assertThat(status.get("remaining").asLong()).isZero();
        byte[] sealed = jdbc.sql("SELECT totp_secret_sealed FROM operators WHERE id = :id").param("id", enrolledBefore.id())
                .query(byte[].class).single();
        assertThat(String.format("%08x", dev.capsule.server.keys.FieldEncryption.keyIdOf(sealed))).isEqualTo(newKey);

        OperatorClient signedIn = OperatorClient.signedIn(https, enrolledBefore);
        assertThat(signedIn.get("/api/v1/operators").statusCode()).as("signed in with the re-encrypted secret").isEqualTo(200);
    }

    @Test
    void rotationNeedsARecentSecondFactor() {
        OperatorClient officer = signIn("keys-late", Role.SECURITY_OFFICER);
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        assertProblem(officer.post("/api/v1/keys/audit-checkpoint/rotations", ""), 403, "step-up-required");
    }

    @Test
    void otherRolesAndUnknownPurposesAreRefused() {
        OperatorClient admin = signIn("keys-admin", Role.PLATFORM_ADMIN);
        assertProblem(admin.post("/api/v1/keys/audit-checkpoint/rotations", ""), 403, "forbidden");
        OperatorClient officer = signIn("keys-officer2", Role.SECURITY_OFFICER);
        HttpResponse<String> unknown = officer.post("/api/v1/keys/tls/rotations", "");
        assertProblem(unknown, 404, "unknown-key-purpose");
        assertThat(unknown.body()).contains("operator-secrets");
        assertProblem(officer.get("/api/v1/keys/rotations/6f1d3c4e-0000-4000-8000-000000000000"), 404, "not-found");
    }
}
