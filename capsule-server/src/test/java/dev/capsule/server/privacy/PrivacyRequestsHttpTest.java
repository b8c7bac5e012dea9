package dev.capsule.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.Residency;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Operators' side of data-subject requests over real HTTPS: a security officer files one for a person (API and console
 * form), sees it received with its 30-day deadline and the person only as a pseudonym; the checks refuse what they
 * must (a role without privacy.manage, a caller that is no signed-in operator, a bad kind or user, an unknown id).
 */
@CapsuleServerTest
class PrivacyRequestsHttpTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;

    SignedInOperators.Session officer;

    @BeforeEach
    void signIn() {
        officer = new SignedInOperators(context, https).signIn("privacy-officer", Role.SECURITY_OFFICER);
    }

    HttpResponse<String> file(String body, String... headers) {
        return https.send(https.request("/api/v1/privacy/requests").headers(headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void anOfficerFilesARequestThatWaitsForThePersonWithItsDeadline() {
        String user = "officer-filed-" + System.nanoTime();
        HttpResponse<String> filed = file("{\"kind\": \"erasure\", \"user\": \"" + user + "\"}", officer.headers());

        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        JsonNode request = TestHttps.json(filed);
        assertThat(request.path("state").asString()).isEqualTo("received");
        assertThat(request.path("kind").asString()).isEqualTo("erasure");
        assertThat(request.path("subject").asString()).matches("[0-9a-f]{32}");
        assertThat(request.path("region").asString()).as("a person never placed is filed in the home region")
                .isEqualTo(context.getBean(Residency.class).home().value());
        assertThat(filed.body()).as("the person only as a pseudonym").doesNotContain(user);
        assertThat(request.path("filedBy").asString()).isEqualTo(officer.actorId());
        assertThat(Duration.between(Instant.parse(request.path("receivedAt").asString()), Instant.parse(request.path("dueAt").asString())))
                .isEqualTo(Duration.ofDays(30));

        String id = request.path("id").asString();
        assertThat(https.get("/api/v1/privacy/requests", officer.headers()).body()).contains(id);
        assertThat(TestHttps.json(https.get("/api/v1/privacy/requests/" + id, officer.headers())).path("request").path("state").asString())
                .isEqualTo("received");
        HttpResponse<String> page = https.get("/console/privacy/requests/" + id, officer.headers());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(id).contains("not yet: the person has not confirmed it in the shell");
    }

    @Test
    void theConsoleFormFilesARequestToo() {
        HttpResponse<String> posted = https.send(https.request("/console/privacy/requests").headers(officer.headers())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("kind=export&user=console-filed-" + System.nanoTime())).build());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        String location = posted.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/console/privacy/requests/[0-9a-f-]{36}");
        assertThat(https.get("/console/privacy/requests", officer.headers()).body())
                .contains(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void whatIsRefusedIsRefusedWithItsProblem() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("privacy-auditor", Role.AUDITOR);
        assertThat(file("{\"kind\": \"export\", \"user\": \"someone\"}", auditor.headers()).statusCode())
                .as("no privacy.manage").isEqualTo(403);
        HttpResponse<String> notAnOperator = file("{\"kind\": \"export\", \"user\": \"someone\"}",
                TestAuthentication.USER_HEADER, "header-user", TestAuthentication.ROLES_HEADER, "SECURITY_OFFICER");
        assertThat(notAnOperator.statusCode()).isEqualTo(403);
        assertThat(notAnOperator.body()).contains("privacy-request-operator-only");
        HttpResponse<String> badKind = file("{\"kind\": \"delete\", \"user\": \"someone\"}", officer.headers());
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(badKind.body()).contains("kind must be export or erasure");
        HttpResponse<String> badUser = file("{\"kind\": \"export\", \"user\": \"has spaces\"}", officer.headers());
        assertThat(badUser.statusCode()).isEqualTo(400);
        assertThat(badUser.body()).contains("user:");
        assertThat(https.get("/api/v1/privacy/requests/00000000-0000-4000-8000-000000000000", officer.headers()).statusCode()).isEqualTo(404);
        assertThat(https.get("/api/v1/privacy/requests/not-an-id", officer.headers()).statusCode()).isEqualTo(404);
    }
}
