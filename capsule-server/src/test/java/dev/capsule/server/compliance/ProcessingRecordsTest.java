package dev.capsule.server.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.server.registry.TestAdvisories;
import dev.capsule.server.releases.ReleasedPrograms;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The records of processing against the real server (HTTPS, PostgreSQL, the real registry and releases modules): three
 * mini-programs go through the real upload and review — one released, one only submitted, one released and then
 * revoked by the kill switch — and the record, as JSON and as the console page, lists exactly what is released, with
 * its declared purposes, data and recipients, the server's purge catalogue, and the configured controller.
 */
@CapsuleServerTest
@TestPropertySource(properties = {"capsule.privacy.controller-name=" + ProcessingRecordsTest.CONTROLLER,
        "capsule.privacy.controller-contact=" + ProcessingRecordsTest.CONTACT})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessingRecordsTest {
    static final String CONTROLLER = "Example Super-App GmbH";
    static final String CONTACT = "dpo@super-app.example";
    /** Guest-controlled text with markup: a page that printed it raw would grow a {@code <b id="injected">} element. */
    private static final String MARKUP_PURPOSE = "<b id=\"injected\">Show stores</b> near you & <script>alert(1)</script>";

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;
    @Autowired Purges purges;
    @Autowired ReleasedPrograms releasedPrograms;

    private RegistryFixture registry;
    private SignedInOperators.Session auditor;
    private String released;
    private String submittedOnly;
    private String revoked;
    private String rollingOut;

    @BeforeAll
    void releaseSubmitAndRevoke() {
        TestAdvisories.imported(context);
        registry = new RegistryFixture(https, context);
        auditor = registry.operators.signIn("processing-auditor", Role.AUDITOR);
        SignedInOperators.Session reviewer = registry.operators.signIn("processing-reviewer", Role.REVIEWER);

        RegistryFixture.Developer stores = registry.developer();
        released = stores.appId();
        approve(registry.submitted(stores, RegistryFixture.signed(stores.key(), released, "1.0.0",
                Map.of("capsule.json", manifest(released, MARKUP_PURPOSE)))), reviewer);

        RegistryFixture.Developer pending = registry.developer();
        submittedOnly = pending.appId();
        registry.submitted(pending, RegistryFixture.signed(pending.key(), submittedOnly, "1.0.0",
                Map.of("capsule.json", manifest(submittedOnly, "Show stores near you"))));

        // A second released mini-program with a second version approved: the first stays stable, the second is rolling out at 0%.
        RegistryFixture.Developer weather = registry.developer();
        rollingOut = weather.appId();
        approve(registry.submitted(weather, RegistryFixture.signed(weather.key(), rollingOut, "1.0.0",
                Map.of("capsule.json", manifest(rollingOut, "Show the weather where you are")))), reviewer);
        approve(registry.submitted(weather, RegistryFixture.signed(weather.key(), rollingOut, "1.1.0",
                Map.of("capsule.json", manifest(rollingOut, "Show the weather where you are").replace("\"1.0.0\"", "\"1.1.0\"")
                        .replace("\"Stores\"", "\"Weather\"")))), reviewer);

        RegistryFixture.Developer stopped = registry.developer();
        revoked = stopped.appId();
        approve(registry.submitted(stopped, RegistryFixture.signed(stopped.key(), revoked, "1.0.0",
                Map.of("capsule.json", manifest(revoked, "Show stores near you")))), reviewer);
        HttpResponse<String> revocation = registry.post("/api/v1/releases/" + revoked + "/revocations",
                "{\"version\": \"1.0.0\", \"reason\": \"sends locations elsewhere\"}", registry.officer.headers());
        assertThat(revocation.statusCode()).as(revocation.body()).isEqualTo(200);
    }

    @Test
    void aReleasedMiniProgramsDeclaredDataPurposesAndRecipientsAreListedButNotAnUnreleasedOrRevokedOne() {
        JsonNode record = record(auditor.headers());
        assertThat(record.get("format").asString()).isEqualTo("capsule-processing-records/1");
        List<String> apps = programs(record).stream().map(program -> program.get("app").asString()).toList();
        assertThat(apps).contains(released).doesNotContain(submittedOnly, revoked);

        JsonNode program = program(record, released);
        assertThat(program.get("organisationVerified").asBoolean()).isTrue();
        assertThat(program.get("organisation").asString()).startsWith("Example ").endsWith(" Ltd");
        JsonNode version = program.get("versions").get(0);
        assertThat(program.get("versions").size()).isEqualTo(1);
        assertThat(version.get("version").asString()).isEqualTo("1.0.0");
        assertThat(version.get("sharePercent").asInt()).isEqualTo(100);
        assertThat(version.get("purposes").toString()).isEqualTo(
                "[{\"data\":\"location\",\"apis\":[\"wx.getLocation\"],\"purpose\":" + quoted(MARKUP_PURPOSE) + "}]");
        assertThat(version.get("recipients").toString()).isEqualTo("[{\"host\":\"api.stores.example.com\",\"apis\":[\"request\"]},"
                + "{\"host\":\"cdn.stores.example.com\",\"apis\":[\"request\",\"downloadFile\"]}]");
    }

    @Test
    void everyVersionServedNowIsListedWithItsShareOfUsersAndItsOwnCapsuleJson() {
        JsonNode versions = program(record(auditor.headers()), rollingOut).get("versions");
        assertThat(versions.size()).isEqualTo(2);
        assertThat(List.of(versions.get(0).get("version").asString(), versions.get(0).get("sharePercent").asInt(),
                versions.get(0).get("name").asString())).containsExactly("1.0.0", 100, "Stores");
        assertThat(List.of(versions.get(1).get("version").asString(), versions.get(1).get("sharePercent").asInt(),
                versions.get(1).get("name").asString())).containsExactly("1.1.0", 0, "Weather");
    }

    @Test
    void theRetentionSectionIsThePurgeCatalogue() {
        JsonNode record = record(auditor.headers());
        List<String> listed = new ArrayList<>();
        record.get("retention").forEach(rule -> listed.add(String.join("|", rule.get("purge").asString(), rule.get("table").asString(),
                String.valueOf(rule.get("keptForSeconds").asLong()), rule.get("condition").asString(),
                String.valueOf(rule.get("intervalSeconds").asLong()))));
        assertThat(listed).isNotEmpty().containsExactlyElementsOf(purges.all().stream().map(purge -> String.join("|", purge.name(),
                purge.table(), String.valueOf(purge.keptFor().toSeconds()), purge.expiredWhen(), String.valueOf(purge.interval().toSeconds())))
                .toList());
        // Each platform activity names the purges of its own tables, taken from the same catalogue.
        JsonNode sessions = activity(record, "End users' shell sign-in and sessions");
        assertThat(sessions.get("purges").toString()).isEqualTo("[\"host.shell-grants\",\"host.shell-sessions\"]");
        assertThat(purges.all()).extracting(Purge::name).contains("host.shell-grants", "host.shell-sessions");
        List<String> categories = new ArrayList<>();
        record.get("retention").forEach(rule -> categories.add(rule.get("purge").asString() + " " + rule.get("category").asString()));
        assertThat(categories).contains("host.shell-sessions sessions", "host.storage-unused mini-program-storage",
                "payments.nonces operational");
        assertThat(activity(record, "Mini-program storage").get("purges").toString()).isEqualTo("[\"host.storage-unused\"]");
    }

    private static String orDash(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asString();
    }

    @Test
    void thePoliciesSectionIsEachDataCategorysPolicyInEffect() {
        List<String> policies = new ArrayList<>();
        record(auditor.headers()).get("policies").forEach(policy -> policies.add(String.join(" ", policy.get("category").asString(),
                orDash(policy, "period"), orDash(policy, "minimum"), orDash(policy, "setting"), String.valueOf(policy.get("changed").asBoolean()))));
        assertThat(policies).containsExactly(
                "mini-program-storage P1Y - capsule.retention.mini-program-storage false",
                "sessions P1D - capsule.retention.sessions false",
                "audit-details P1Y - capsule.retention.audit-details false",
                "payment-records P5Y P5Y capsule.retention.payment-records false",
                "operational - - - false");
    }

    @Test
    void theStorageSectionNamesTheHomeRegionsDatabaseAloneOnAnInstallationOfOneRegion() {
        JsonNode storage = record(auditor.headers()).get("storage");
        assertThat(storage).hasSize(1);
        assertThat(storage.get(0).get("region").asString()).isEqualTo("local");
        assertThat(storage.get(0).get("home").asBoolean()).isTrue();
        assertThat(storage.get(0).get("location").asString()).startsWith("PostgreSQL at localhost:").doesNotContain("password");
        assertThat(storage.get(0).get("endUsers").asLong()).isNotNegative();
    }

    @Test
    void theControllerIsTheConfiguredOneAndTheRecordIsServedToAnApiKeyWithAuditRead() {
        HttpResponse<String> created = registry.post("/api/v1/api-keys", "{\"name\": \"dpo tooling\", \"permissions\": [\"audit.read\"], "
                + "\"expiresInDays\": 30}", registry.admin.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = TestHttps.json(created);
        HttpResponse<String> approved = registry.post("/api/v1/api-keys/" + key.get("key").get("keyId").asString() + "/approve", "",
                registry.officer.headers());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        JsonNode record = record("Authorization", "Bearer " + key.get("token").asString());
        assertThat(record.get("controller").toString()).isEqualTo("{\"name\":\"" + CONTROLLER + "\",\"contact\":\"" + CONTACT + "\"}");
        assertThat(activity(record, "Audit log").get("module").asString()).isEqualTo("audit");
    }

    @Test
    void withoutAuditReadTheRecordIsRefusedAndTheDenialIsAudited() {
        SignedInOperators.Session support = registry.operators.signIn("processing-support", Role.SUPPORT);
        HttpResponse<String> api = https.get("/api/v1/compliance/processing", support.headers());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(403);
        assertThat(TestHttps.json(api).get("type").asString()).isEqualTo("https://capsule.dev/problems/forbidden");
        HttpResponse<String> page = https.get("/console/compliance/processing", support.headers());
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain(released).doesNotContain(CONTROLLER);

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "actor").equals(support.operatorId().toString())))
                .extracting(e -> AuditEvents.line(e, "|", "reason", "action", "permission"))
                .containsExactlyInAnyOrder("forbidden|GET /api/v1/compliance/processing|audit.read",
                        "forbidden|GET /console/compliance/processing|audit.read");
        assertThat(https.get("/api/v1/compliance/processing", auditor.headers()).statusCode()).as("the auditor's is allowed").isEqualTo(200);
    }

    @Test
    void markupInAManifestPurposeIsShownAsTextOnTheConsolePage() {
        HttpResponse<String> page = https.get("/console/compliance/processing", auditor.headers());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Document html = Jsoup.parse(page.body());
        assertThat(html.select("#injected")).as("no element from the manifest's text").isEmpty();
        assertThat(html.select("main script")).as("no script from the manifest's text").isEmpty();
        assertThat(html.select("section.program[data-app='" + released + "'] .why").text()).isEqualTo(MARKUP_PURPOSE);
        assertThat(html.select("section.program[data-app='" + released + "'] .recipient code").eachText())
                .containsExactly("api.stores.example.com", "cdn.stores.example.com");
        assertThat(html.select("section.program").eachAttr("data-app")).doesNotContain(submittedOnly, revoked);
        assertThat(html.select("#controller-name").text()).isEqualTo(CONTROLLER);
        assertThat(html.select("#retention tbody tr")).hasSize(purges.all().size());
        assertThat(html.select("#policies tbody tr[data-category=payment-records] td").eachText()).containsExactly("payment-records",
                "P5Y (default)", "P5Y", "capsule.retention.payment-records");
    }

    @Test
    void aBadAfterIsRefusedAndThePagesOfReleasedProgramsFollowEachOther() {
        HttpResponse<String> bad = https.get("/api/v1/compliance/processing?after=..%2Fx", auditor.headers());
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(TestHttps.json(bad).get("type").asString()).isEqualTo("https://capsule.dev/problems/validation");

        // Pages of one: each names the next, and together they list what one page of many lists.
        assertThat(releasedPrograms.released(Optional.empty(), 1).next()).as("two are released, so one page of one has a next").isPresent();
        List<String> paged = new ArrayList<>();
        Optional<MiniProgramId> after = Optional.empty();
        do {
            ReleasedPrograms.ReleasedPage page = releasedPrograms.released(after, 1);
            assertThat(page.programs()).hasSizeLessThanOrEqualTo(1);
            page.programs().forEach(program -> paged.add(program.app().value()));
            after = page.next();
        } while (after.isPresent());
        assertThat(paged).isEqualTo(releasedPrograms.released(Optional.empty(), ReleasedPrograms.RELEASED_MAX).programs().stream()
                .map(program -> program.app().value()).toList()).contains(released, rollingOut).doesNotContain(revoked, submittedOnly);
        String first = paged.getFirst();
        assertThat(programs(record(auditor.headers(), "?after=" + first)).stream().map(program -> program.get("app").asString()).toList())
                .as("the record's own pages start after the app id given").isEqualTo(paged.subList(1, paged.size()));
        assertThat(programs(record(auditor.headers())).stream().map(program -> program.get("app").asString()).toList()).isEqualTo(paged);
        assertThat(record(auditor.headers()).get("miniPrograms").get("next").isNull()).as("everything fits one page").isTrue();
    }

    private void approve(String versionId, SignedInOperators.Session reviewer) {
        HttpResponse<String> approved = registry.approve(versionId, "utility", reviewer);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    }

    private JsonNode record(String... headers) {
        return record(headers, "");
    }

    private JsonNode record(String[] headers, String query) {
        HttpResponse<String> response = https.get("/api/v1/compliance/processing" + query, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttps.json(response);
    }

    private static List<JsonNode> programs(JsonNode record) {
        return StreamSupport.stream(record.get("miniPrograms").get("programs").spliterator(), false).toList();
    }

    private static JsonNode program(JsonNode record, String app) {
        return programs(record).stream().filter(program -> program.get("app").asString().equals(app)).findFirst().orElseThrow();
    }

    private static JsonNode activity(JsonNode record, String name) {
        return StreamSupport.stream(record.get("platform").spliterator(), false).filter(a -> a.get("name").asString().equals(name))
                .findFirst().orElseThrow();
    }

    /** capsule.json of a mini-program that reads the location for {@code purpose} and may reach two hosts. */
    private static String manifest(String app, String purpose) {
        return """
                {
                  "id": "%s",
                  "version": "1.0.0",
                  "name": "Stores",
                  "developer": { "id": "example", "name": "Example Ltd" },
                  "network": {
                    "request": ["api.stores.example.com", "cdn.stores.example.com"],
                    "uploadFile": [],
                    "downloadFile": ["cdn.stores.example.com"],
                    "connectSocket": []
                  },
                  "privacy": [ { "data": "location", "apis": ["wx.getLocation"], "purpose": %s } ],
                  "dependencies": []
                }
                """.formatted(app, quoted(purpose));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
