package dev.capsule.server.registry;

import static dev.capsule.server.registry.RegistryFixture.answers;
import static dev.capsule.server.registry.RegistryFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.review.PackageReview;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The risk assessment and the minimization report over real HTTPS and PostgreSQL: approval derives the risk profile
 * from the questionnaire's answers, a reviewer raises it only with a reason and never lowers it, the answers are stored
 * with the version, shown in the API and in the approval's audit entry; each version's minimization report is stored at
 * upload from the review's own analysis (the same bytes the runtime's analysis gives for the package).
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class RiskAssessmentApiTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RiskAssessments assessments;

    RegistryFixture registry;
    RegistryFixture.Developer developer;
    SignedInOperators.Session reviewer;

    @BeforeEach
    void setUp() {
        TestAdvisories.imported(context);
        registry = new RegistryFixture(https, context);
        developer = registry.developer();
        reviewer = registry.operators.signIn("risk-reviewer", Role.REVIEWER);
    }

    @Test
    void approvalWithoutAPresetTakesTheDerivedProfileAndStoresTheAnswers() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        HttpResponse<String> approved = registry.approve(id, answers("identifying", "public", "none"), null, null, reviewer);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(TestHttps.json(approved).get("preset").asString()).isEqualTo("social");

        JsonNode risk = TestHttps.json(https.get("/api/v1/packages/" + id, reviewer.headers())).get("risk");
        assertThat(risk.get("data").asString()).isEqualTo("identifying");
        assertThat(risk.get("users").asString()).isEqualTo("public");
        assertThat(risk.get("money").asString()).isEqualTo("none");
        assertThat(risk.get("derived").asString()).isEqualTo("social");
        assertThat(risk.get("approved").asString()).isEqualTo("social");
        assertThat(risk.get("raised").asBoolean()).isFalse();
        assertThat(risk.get("raiseReason").isNull()).isTrue();
        assertThat(risk.get("assessedBy").asString()).isEqualTo(reviewer.actorId());
        assertThat(assessments.ofRelease(MiniProgramId.of(developer.appId()), "1.0.0")).hasValueSatisfying(a ->
                assertThat(a.approved().code()).isEqualTo("social"));

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.approve")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "detail"))
                .containsExactly("success organisation " + developer.organisationId()
                        + " version 1.0.0 preset social derived social data:identifying,users:public,money:none");
    }

    @Test
    void aReviewerRaisesTheProfileOnlyWithAReasonAndNeverLowersIt() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertProblem(registry.approve(id, answers("basic", "public", "payments"), "utility", null, reviewer), 409,
                RegistryProblems.RISK_PROFILE_BELOW_ASSESSMENT);
        HttpResponse<String> lowered = registry.approve(id, answers("basic", "public", "payments"), "social", null, reviewer);
        assertProblem(lowered, 409, RegistryProblems.RISK_PROFILE_BELOW_ASSESSMENT);
        assertThat(TestHttps.json(lowered).get("derived").asString()).isEqualTo("financial");
        assertProblem(registry.approve(id, answers("basic", "public", "none"), "internal", "staff only, really", reviewer), 409,
                RegistryProblems.RISK_PROFILE_BELOW_ASSESSMENT);
        assertProblem(registry.approve(id, answers("basic", "public", "none"), "financial", null, reviewer), 400,
                ProblemType.VALIDATION);
        assertProblem(registry.approve(id, answers("basic", "public", "none"), null, "nothing to raise", reviewer), 400,
                ProblemType.VALIDATION);
        assertThat(jdbc.sql("SELECT state FROM registry_version WHERE version_id = ?::uuid").param(id).query(String.class).single())
                .isEqualTo("in-review");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.approve")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "reason"))
                .contains("failure risk-profile-below-assessment", "failure validation");

        HttpResponse<String> raised = registry.approve(id, answers("basic", "public", "none"), "financial",
                "links to the bank's payment pages", reviewer);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        JsonNode risk = TestHttps.json(https.get("/api/v1/packages/" + id, reviewer.headers())).get("risk");
        assertThat(risk.get("derived").asString()).isEqualTo("utility");
        assertThat(risk.get("approved").asString()).isEqualTo("financial");
        assertThat(risk.get("raised").asBoolean()).isTrue();
        assertThat(risk.get("raiseReason").asString()).isEqualTo("links to the bank's payment pages");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.approve")
                && AuditEvents.text(e, "app").equals(developer.appId()) && AuditEvents.text(e, "outcome").equals("success")))
                .extracting(e -> AuditEvents.text(e, "detail")).singleElement().asString()
                .endsWith("preset financial derived utility data:basic,users:public,money:none raised");
    }

    @Test
    void answersAreClosedCodesAndMayNotDenyDeclaredPersonalData() {
        byte[] pkg = RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", Map.of("capsule.json", withLocation()));
        String id = registry.submitted(developer, pkg);
        assertProblem(registry.approve(id, answers("some", "public", "none"), null, null, reviewer), 400, ProblemType.VALIDATION);
        assertProblem(registry.post("/api/v1/packages/" + id + "/approve", "{\"preset\": \"utility\", \"reason\": \"no answers\"}",
                reviewer.headers()), 400, ProblemType.VALIDATION);
        assertProblem(registry.approve(id, answers("none", "public", "none"), null, null, reviewer), 409,
                RegistryProblems.RISK_ASSESSMENT_INCONSISTENT);
        assertThat(registry.approve(id, answers("basic", "operator-staff", "none"), null, null, reviewer).statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(https.get("/api/v1/packages/" + id, reviewer.headers())).get("version").get("preset").asString())
                .isEqualTo("internal");
    }

    @Test
    void theQuestionnaireIsServedWithItsClosedAnswers() {
        JsonNode questionnaire = TestHttps.json(https.get("/api/v1/risk-questionnaire", reviewer.headers()));
        assertThat(questionnaire.get("questions").valueStream().map(q -> q.get("field").asString())).containsExactly("data", "users", "money");
        assertThat(questionnaire.get("questions").get(2).get("answers").valueStream().map(a -> a.get("code").asString()))
                .containsExactly("none", "account-information", "payments");
        assertThat(questionnaire.get("rule").asString()).contains("financial");
        assertProblem(https.get("/api/v1/risk-questionnaire"), 401, "unauthenticated");
    }

    @Test
    void theMinimizationReportIsStoredAtUploadFromTheReviewsOwnAnalysis() throws Exception {
        String page = "Page({ onLoad() { wx.getUserProfile({}); wx.getUserProfile({}); } });\n";
        byte[] pkg = RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0",
                Map.of("capsule.json", withLocation(), "pages/index/index.js", page));
        String id = registry.submitted(developer, pkg);

        HttpResponse<String> response = https.get("/api/v1/packages/" + id + "/minimization", reviewer.headers());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = TestHttps.json(response);
        assertThat(report.get("minimal").asBoolean()).isFalse();
        JsonNode location = report.get("declared").get(0);
        assertThat(location.get("data").asString()).isEqualTo("location");
        assertThat(location.get("used").asBoolean()).isFalse();
        assertThat(location.get("apis").get(0).get("api").asString()).isEqualTo("wx.getLocation");
        JsonNode undeclared = report.get("undeclared").get(0);
        assertThat(undeclared.get("api").asString()).isEqualTo("wx.getUserProfile");
        assertThat(undeclared.get("uses").asInt()).isEqualTo(2);
        assertThat(undeclared.get("firstPath").asString()).isEqualTo("pages/index/index.js");

        byte[] stored = jdbc.sql("SELECT report_json FROM registry_minimization WHERE version_id = ?::uuid").param(id)
                .query((row, n) -> row.getBytes(1)).single();
        assertThat(stored).as("the review's own analysis, reproducible from the package")
                .isEqualTo(PackageReview.analyse(PackageReader.read(pkg, PackageLimits.DEFAULTS)).minimization().orElseThrow().toJson());
        assertThat(response.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(stored);
        assertThat(TestHttps.json(https.get("/api/v1/packages/" + id, reviewer.headers())).get("minimization")).isEqualTo(report);
        assertProblem(https.get("/api/v1/packages/" + id + "/minimization", registry.developer().bearer()), 404, ProblemType.NOT_FOUND);
    }

    /** The todo example's capsule.json declaring location (wx.getLocation), which the todo never uses. */
    private String withLocation() {
        return new String(RegistryFixture.sources(developer.appId(), "1.0.0", Map.of()).get("capsule.json"), StandardCharsets.UTF_8)
                .replace("\"privacy\": []", "\"privacy\": [{\"data\": \"location\", \"apis\": [\"wx.getLocation\"], "
                        + "\"purpose\": \"show nearby todos\"}]");
    }
}
