package dev.capsule.server.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A server whose controller is not configured (the shared test context sets no {@code capsule.privacy.*}) generates no
 * record of processing: the API answers a specific problem, the console page says the same, and neither invents a
 * controller.
 */
@CapsuleServerTest
class ProcessingRecordsUnconfiguredTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;

    @Test
    void withoutTheControllerSettingsNoRecordIsGeneratedAndTheProblemSaysWhichSettingsToSet() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("unconfigured-auditor", Role.AUDITOR);

        HttpResponse<String> api = https.get("/api/v1/compliance/processing", auditor.headers());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestHttps.json(api);
        assertThat(problem.get("type").asString()).isEqualTo("https://capsule.dev/problems/processing-controller-unset");
        assertThat(problem.get("detail").asString()).contains("capsule.privacy.controller-name", "capsule.privacy.controller-contact");
        assertThat(api.body()).doesNotContain("\"platform\"").doesNotContain("Exception");

        HttpResponse<String> page = https.get("/console/compliance/processing", auditor.headers());
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(Jsoup.parse(page.body()).select("main").attr("data-problem-type"))
                .isEqualTo("https://capsule.dev/problems/processing-controller-unset");
        assertThat(page.body()).contains("capsule.privacy.controller-name").doesNotContain("id=\"controller-name\"");
    }
}
