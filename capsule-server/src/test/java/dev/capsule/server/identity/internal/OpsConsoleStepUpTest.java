package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's key rotation (operations pages) has the API's step-up: a security officer whose second factor is
 * older than {@link StepUp#STEP_UP_MINUTES_MAX} minutes is refused 403 {@code step-up-required} before anything
 * rotates, and the refusal is audited; after confirming a code on the console's step-up page the same form works.
 */
@IdentityServerTest
class OpsConsoleStepUpTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void rotatingInTheConsoleNeedsARecentSecondFactorLikeTheApi() {
        TestOperators.Enrolled enrolled = TestOperators.create(context, "ops-step-up", Role.SECURITY_OFFICER);
        OperatorClient officer = OperatorClient.signedIn(https, enrolled);
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        long rotationsBefore = jdbc.sql("SELECT count(*) FROM keys_rotations").query(Long.class).single();

        HttpResponse<String> refused = officer.post("/console/keys/audit-checkpoint/rotations", "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT count(*) FROM keys_rotations").query(Long.class).single()).isEqualTo(rotationsBefore);
        assertThat(AuditEvents.where(jdbc, e -> "access.deny".equals(AuditEvents.text(e, "type"))
                && "step-up-required".equals(AuditEvents.text(e, "reason"))
                && enrolled.id().toString().equals(AuditEvents.text(e, "actor"))
                && "POST /console/keys/{purpose}/rotations".equals(AuditEvents.text(e, "action")))).hasSize(1);

        HttpResponse<String> stepUp = officer.send(https.request("/console/step-up")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("code=" + enrolled.code() + "&next=/console/keys")), true);
        assertThat(stepUp.statusCode()).as(stepUp.body()).isEqualTo(302);
        HttpResponse<String> rotated = officer.post("/console/keys/audit-checkpoint/rotations", "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(302);
        assertThat(rotated.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).contains("/console/keys/rotations/"));
        assertThat(jdbc.sql("SELECT count(*) FROM keys_rotations").query(Long.class).single()).isEqualTo(rotationsBefore + 1);
    }
}
