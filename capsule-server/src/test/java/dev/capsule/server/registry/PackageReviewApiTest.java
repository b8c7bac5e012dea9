package dev.capsule.server.registry;

import static dev.capsule.server.registry.RegistryFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The human review over real HTTPS and PostgreSQL: what a reviewer sees (findings, manifest, privacy purposes,
 * diff against the previous approved version), approval publishing {@link PackageApproved} in its transaction
 * with the risk profile, and each rule that refuses a decision: separation of duties (own organisation, own
 * exception), the critical-finding block and its exception, a revoked developer key, a final decision.
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class PackageReviewApiTest {
    /** A JS file holding a PEM private key: the review's critical {@code secret.private-key} finding. */
    static final Map<String, String> PLANTED_SECRET = Map.of("utils/config.js",
            "module.exports = { key: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIPlanted0000000000000000000000000000000\\n-----END PRIVATE KEY-----' };\n");

    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApprovedPackages approvedPackages;
    @Autowired
    RegistryTestConfiguration.ApprovedEvents approvedEvents;

    RegistryFixture registry;
    RegistryFixture.Developer developer;
    SignedInOperators.Session reviewer;

    @BeforeEach
    void setUp() {
        TestAdvisories.imported(jdbc);
        registry = new RegistryFixture(https, context);
        developer = registry.developer();
        reviewer = registry.operators.signIn("rev", Role.REVIEWER);
    }

    @Test
    void approvalByAnotherOperatorPublishesPackageApprovedInItsTransactionAndReleasesCanReadThePackage() throws Exception {
        byte[] pkg = RegistryFixture.signed(developer, "1.0.0");
        String id = registry.submitted(developer, pkg);

        HttpResponse<String> approved = registry.approve(id, "utility", reviewer);

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode version = TestHttps.json(approved);
        assertThat(version.get("state").asString()).isEqualTo("approved");
        assertThat(version.get("preset").asString()).isEqualTo("utility");
        assertThat(version.get("decidedBy").asString()).isEqualTo(reviewer.actorId());
        PackageVersionId versionId = PackageVersionId.parse(id).orElseThrow();
        assertThat(approvedEvents.events).contains(new PackageApproved(versionId, MiniProgramId.of(developer.appId()), "1.0.0",
                dev.capsule.server.access.OperatorId.of(reviewer.operatorId()), RiskProfile.UTILITY));
        assertThat(approvedEvents.inTransaction).doesNotContain(false);

        ApprovedPackages.ApprovedPackage release = approvedPackages.find(versionId).orElseThrow();
        assertThat(release.packageBytes()).isEqualTo(pkg);
        assertThat(release.packageDigest()).isEqualTo(PackageReader.read(pkg).digestManifestSha256());
        assertThat(release.developerKey().keyId().hex()).isEqualTo(developer.keyId());
        assertThat(release.preset()).isEqualTo(RiskProfile.UTILITY);
        assertThat("sha256:" + release.findingsDigest().hex()).isEqualTo(version.get("findingsDigest").asString());
        assertThat(approvedPackages.approvedVersions(MiniProgramId.of(developer.appId())))
                .extracting(ApprovedPackages.ApprovedVersion::version).containsExactly("1.0.0");

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.approve")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "actor"))
                .containsExactly("success " + reviewer.operatorId());
    }

    @Test
    void aVersionInReviewIsNotAnApprovedPackage() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertThat(approvedPackages.find(PackageVersionId.parse(id).orElseThrow())).isEmpty();
        assertThat(approvedPackages.approvedVersions(MiniProgramId.of(developer.appId()))).isEmpty();
    }

    @Test
    void theReviewerSeesFindingsManifestPrivacyPurposesAndTheDiffAgainstThePreviousApprovedVersion() {
        String first = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertThat(registry.approve(first, "content", reviewer).statusCode()).isEqualTo(200);
        HttpResponse<String> firstDiff = https.get("/api/v1/packages/" + first + "/diff", reviewer.headers());
        assertThat(TestHttps.json(firstDiff).get("base").isNull()).isTrue();
        assertThat(TestHttps.json(firstDiff).get("files").valueStream().map(f -> f.get("change").asString()).distinct())
                .containsExactly("added");

        String manifest = new String(RegistryFixture.sources(developer.appId(), "1.1.0", Map.of()).get("capsule.json"),
                java.nio.charset.StandardCharsets.UTF_8).replace("\"privacy\": []",
                "\"privacy\": [{\"data\": \"location\", \"apis\": [\"wx.getLocation\"], \"purpose\": \"show nearby todos\"}]");
        byte[] second = RegistryFixture.signed(developer.key(), developer.appId(), "1.1.0", Map.of(
                "capsule.json", manifest, "utils/todos.js", "module.exports = { changed: true };\n",
                "pages/about/extra.js", "// new\n"));
        String secondId = registry.submitted(developer, second);

        JsonNode detail = TestHttps.json(https.get("/api/v1/packages/" + secondId, reviewer.headers()));
        assertThat(detail.get("manifest").get("privacy").get(0).get("purpose").asString()).isEqualTo("show nearby todos");
        assertThat(detail.get("manifest").get("developer").get("name").asString()).isEqualTo("Example Ltd");
        assertThat(detail.get("findings").get("format").asString()).isEqualTo("capsule-review/1");

        JsonNode diff = TestHttps.json(https.get("/api/v1/packages/" + secondId + "/diff", reviewer.headers()));
        assertThat(diff.get("base").asString()).isEqualTo(first);
        assertThat(diff.get("baseVersion").asString()).isEqualTo("1.0.0");
        Map<String, String> changes = new java.util.TreeMap<>();
        diff.get("files").forEach(f -> changes.put(f.get("path").asString(), f.get("change").asString()));
        assertThat(changes).containsEntry("utils/todos.js", "changed").containsEntry("capsule.json", "changed")
                .containsEntry("pages/about/extra.js", "added").hasSize(3);
        JsonNode todos = diff.get("files").valueStream().filter(f -> f.get("path").asString().equals("utils/todos.js"))
                .findFirst().orElseThrow();
        assertThat(todos.get("textDiff").valueStream().map(JsonNode::asString))
                .contains("+module.exports = { changed: true };").anyMatch(line -> line.startsWith("-"));
    }

    @Test
    void nobodyDecidesOnTheirOwnOrganisationsSubmission() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        registry.addMember(developer.organisationId(), reviewer);

        HttpResponse<String> refused = registry.approve(id, "utility", reviewer);
        assertProblem(refused, 403, AccessProblems.SEPARATION_OF_DUTIES);
        assertProblem(registry.post("/api/v1/packages/" + id + "/reject", "{\"reason\": \"mine\"}", reviewer.headers()), 403,
                AccessProblems.SEPARATION_OF_DUTIES);
        assertThat(state(id)).isEqualTo("in-review");
        assertThat(approvedEvents.events).noneMatch(e -> e.id().toString().equals(id));
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.approve")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "reason"))
                .containsExactly("failure separation-of-duties");

        SignedInOperators.Session independent = registry.operators.signIn("rev-independent", Role.REVIEWER);
        assertThat(registry.approve(id, "utility", independent).statusCode()).isEqualTo(200);
    }

    @Test
    void theSubmitterNeverDecidesOnTheirOwnSubmission() {
        SignedInOperators.Session both = registry.operators.signIn("dev-rev", Role.DEVELOPER, Role.REVIEWER);
        registry.addMember(developer.organisationId(), both);
        HttpResponse<String> uploaded = registry.upload(RegistryFixture.signed(developer, "1.0.0"), both.headers());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String id = TestHttps.json(uploaded).get("id").asString();
        assertProblem(registry.approve(id, "utility", both), 403, AccessProblems.SEPARATION_OF_DUTIES);
        assertThat(state(id)).isEqualTo("in-review");
    }

    @Test
    void aCriticalFindingBlocksApprovalUntilASecurityOfficerRecordsAnExceptionAndTheApproverIsSomeoneElse() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0",
                PLANTED_SECRET));
        JsonNode detail = TestHttps.json(https.get("/api/v1/packages/" + id, reviewer.headers()));
        assertThat(detail.get("version").get("criticalFindings").asInt()).isPositive();
        assertThat(detail.get("findings").get("findings").valueStream().map(f -> f.get("rule").asString()))
                .contains("secret.private-key");

        assertProblem(registry.approve(id, "utility", reviewer), 409, RegistryProblems.CRITICAL_FINDING);
        assertProblem(registry.post("/api/v1/packages/" + id + "/exception", "{\"reason\": \"test key\"}", reviewer.headers()),
                403, ProblemType.FORBIDDEN);
        HttpResponse<String> exception = registry.post("/api/v1/packages/" + id + "/exception",
                "{\"reason\": \"the key is a published test vector, not a secret\"}", registry.officer.headers());
        assertThat(exception.statusCode()).as(exception.body()).isEqualTo(200);
        assertThat(TestHttps.json(exception).get("exception").get("recordedBy").asString()).isEqualTo(registry.officer.actorId());

        assertProblem(registry.approve(id, "utility", registry.officer), 403, AccessProblems.SEPARATION_OF_DUTIES);
        assertThat(state(id)).isEqualTo("in-review");
        assertThat(registry.approve(id, "financial", reviewer).statusCode()).isEqualTo(200);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.exception")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "actor"))
                .containsExactly("success " + registry.officer.operatorId());
    }

    @Test
    void aVulnerableBundledLibraryIsACriticalFindingWithItsAdvisory() {
        String manifest = new String(RegistryFixture.sources(developer.appId(), "1.0.0", Map.of()).get("capsule.json"),
                java.nio.charset.StandardCharsets.UTF_8).replace("\"dependencies\": []",
                "\"dependencies\": [{\"ecosystem\": \"npm\", \"name\": \"left-pad\", \"version\": \"1.1.0\"}]");
        String id = registry.submitted(developer, RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0",
                Map.of("capsule.json", manifest)));
        JsonNode findings = TestHttps.json(https.get("/api/v1/packages/" + id + "/findings", reviewer.headers()));
        JsonNode vulnerable = findings.get("findings").valueStream()
                .filter(f -> f.get("rule").asString().equals("supply-chain.vulnerable-dependency")).findFirst().orElseThrow();
        assertThat(vulnerable.get("severity").asString()).isEqualTo("critical");
        assertThat(vulnerable.get("advisory").get("id").asString()).isEqualTo(TestAdvisories.ADVISORY_ID);
        assertThat(vulnerable.get("advisory").get("fixed").asString()).isEqualTo("1.3.0");
        assertProblem(registry.approve(id, "utility", reviewer), 409, RegistryProblems.CRITICAL_FINDING);
        assertThat(TestHttps.json(https.get("/api/v1/packages/" + id + "/sbom", reviewer.headers())).toString())
                .contains("left-pad");
    }

    @Test
    void anExceptionIsOnlyForAVersionWithACriticalFindingAndOnlyOnce() {
        String clean = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertProblem(registry.post("/api/v1/packages/" + clean + "/exception", "{\"reason\": \"why\"}",
                registry.officer.headers()), 400, ProblemType.VALIDATION);
        registry.post("/api/v1/packages/" + clean + "/reject", "{\"reason\": \"next\"}", reviewer.headers());
        String critical = registry.submitted(developer, RegistryFixture.signed(developer.key(), developer.appId(), "1.0.1",
                PLANTED_SECRET));
        assertThat(registry.post("/api/v1/packages/" + critical + "/exception", "{\"reason\": \"ok\"}",
                registry.officer.headers()).statusCode()).isEqualTo(200);
        SignedInOperators.Session otherOfficer = registry.operators.signIn("officer2", Role.SECURITY_OFFICER);
        assertProblem(registry.post("/api/v1/packages/" + critical + "/exception", "{\"reason\": \"again\"}",
                otherOfficer.headers()), 409, RegistryProblems.ALREADY_REGISTERED);
    }

    @Test
    void aKeyRevokedAfterTheUploadRefusesTheApproval() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        registry.post("/api/v1/organisations/" + developer.organisationId() + "/keys/" + developer.keyId() + "/revoke", "",
                registry.admin.headers());
        assertProblem(registry.approve(id, "utility", reviewer), 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertThat(state(id)).isEqualTo("in-review");
    }

    @Test
    void aDecisionIsFinalNeedsAReasonAndAKnownRiskProfile() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertProblem(registry.approve(id, "gambling", reviewer), 400, ProblemType.VALIDATION);
        assertProblem(registry.post("/api/v1/packages/" + id + "/reject", "{\"reason\": \" \"}", reviewer.headers()), 400,
                ProblemType.VALIDATION);
        HttpResponse<String> rejected = registry.post("/api/v1/packages/" + id + "/reject",
                "{\"reason\": \"asks for location without a purpose\"}", reviewer.headers());
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(TestHttps.json(rejected).get("decisionReason").asString()).isEqualTo("asks for location without a purpose");
        assertProblem(registry.approve(id, "utility", reviewer), 409, RegistryProblems.VERSION_DECIDED);
        assertThat(state(id)).isEqualTo("rejected");
    }

    @Test
    void apiKeysNeverDecideAndSeeOnlyTheirOrganisationsVersions() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertProblem(registry.post("/api/v1/packages/" + id + "/approve", "{\"preset\": \"utility\", \"reason\": \"x\"}",
                developer.bearer()), 403, ProblemType.FORBIDDEN);
        RegistryFixture.Developer other = registry.developer();
        assertProblem(https.get("/api/v1/packages/" + id, other.bearer()), 404, ProblemType.NOT_FOUND);
        assertThat(TestHttps.json(https.get("/api/v1/packages?limit=200", other.bearer())).get("items").valueStream()
                .map(v -> v.get("id").asString())).doesNotContain(id);
        assertThat(TestHttps.json(https.get("/api/v1/packages?state=in-review&limit=200", reviewer.headers())).get("items")
                .valueStream().map(v -> v.get("id").asString())).contains(id);
        assertProblem(https.get("/api/v1/packages/" + UUID.randomUUID(), reviewer.headers()), 404, ProblemType.NOT_FOUND);
    }

    @Test
    void storedVersionsAreImmutableInTheDatabaseToo() {
        String id = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(
                "UPDATE registry_version SET package = '\\x00'::bytea WHERE version_id = ?::uuid").param(id).update())
                .hasMessageContaining("immutable");
        assertThat(registry.approve(id, "utility", reviewer).statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(
                "UPDATE registry_version SET state = 'rejected' WHERE version_id = ?::uuid").param(id).update())
                .hasMessageContaining("does not change");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(
                "DELETE FROM registry_version WHERE version_id = ?::uuid").param(id).update())
                .hasMessageContaining("never deleted");
    }

    private String state(String id) {
        return jdbc.sql("SELECT state FROM registry_version WHERE version_id = ?::uuid").param(id).query(String.class).single();
    }
}
