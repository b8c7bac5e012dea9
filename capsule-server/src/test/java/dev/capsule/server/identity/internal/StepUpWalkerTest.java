package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.server.access.internal.EndpointCatalog;
import dev.capsule.server.access.internal.Requirement;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Step-up is one rule with one answer: every endpoint that declares it refuses an operator holding every
 * role whose second factor is older than {@link StepUp#STEP_UP_MINUTES_MAX} minutes with the same 403
 * {@code step-up-required}, before its handler runs, and each refusal is in the audit log.
 */
@IdentityServerTest
class StepUpWalkerTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired EndpointCatalog catalog;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void everyStepUpEndpointAnswersStepUpRequiredOnceTheSecondFactorIsStale() {
        List<EndpointCatalog.Endpoint> stepUp = catalog.endpoints().stream()
                .filter(endpoint -> switch (endpoint.requirement()) {
                    case Requirement.Needs needs -> needs.stepUp();
                    case Requirement.Operator operator -> operator.stepUp().always();
                    default -> false;
                })
                .toList();
        assertThat(stepUp).extracting(EndpointCatalog.Endpoint::pattern).contains("/api/v1/api-keys", "/api/v1/api-keys/{keyId}/approve",
                "/api/v1/keys/{purpose}/rotations", "/api/v1/audit/entries/{index}/reveal", "/api/v1/operators",
                "/api/v1/operators/{username}/roles", "/api/v1/auth/recovery-codes");
        SignedInOperators.Session everything = new SignedInOperators(context, https).signIn("stale", Role.values());
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(1));
        long operatorsBefore = jdbc.sql("SELECT count(*) FROM operators").query(Long.class).single();

        List<String> wrong = new ArrayList<>();
        for (EndpointCatalog.Endpoint endpoint : stepUp) {
            String path = endpoint.pattern().replaceAll("\\{[^}]+}", "0000000000000000");
            HttpRequest.Builder request = https.request(path).header("Content-Type", "application/json")
                    .method(endpoint.method(), HttpRequest.BodyPublishers.ofString("{\"username\": \"never-made\", \"roles\": []}"));
            for (int i = 0; i < everything.headers().length; i += 2) {
                request.header(everything.headers()[i], everything.headers()[i + 1]);
            }
            HttpResponse<String> response = https.send(request.build());
            if (response.statusCode() != 403 || !response.body().contains(AccessProblems.STEP_UP_REQUIRED.uri().toString())) {
                wrong.add(endpoint.method() + " " + endpoint.pattern() + ": " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("step-up endpoints that did not answer 403 step-up-required").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM operators").query(Long.class).single()).as("no handler ran").isEqualTo(operatorsBefore);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "actor").equals(everything.operatorId().toString())))
                .extracting(e -> AuditEvents.text(e, "reason") + " " + AuditEvents.text(e, "action"))
                .containsExactlyInAnyOrderElementsOf(stepUp.stream()
                        .map(endpoint -> "step-up-required " + endpoint.method() + " " + endpoint.pattern()).toList());
    }
}
