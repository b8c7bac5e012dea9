package dev.capsule.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.server.registry.TestAdvisories;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Incidents against the real server (HTTPS, PostgreSQL, the real registry, releases, keys and identity modules): an
 * incident goes open → contained → closed and nothing else; each runbook operation taken from it has its effect, is
 * audited by its own module with the incident's id in the entry, and is refused without its permission and without
 * step-up; a suspension refuses the organisation's API keys and uploads until it is lifted; the forced sign-out ends
 * other operators' sessions and not the actor's; the timeline holds what it should, a bounded page at a time.
 */
@CapsuleServerTest
@Import(IncidentsTestConfiguration.class)
class IncidentsHttpTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;
    @Autowired MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    // --- the incident's own steps ---

    @Test
    void anIncidentGoesOpenContainedClosedOneStepAtATimeAndEveryStepIsAudited() {
        SignedInOperators.Session officer = operators().signIn("inc-officer", Role.SECURITY_OFFICER);
        String id = open(officer, "Leaked signing key", "critical");
        JsonNode incident = TestHttps.json(https.get("/api/v1/incidents/" + id, officer.headers()));
        assertThat(incident.get("state").asString()).isEqualTo("open");
        assertThat(incident.get("severity").asString()).isEqualTo("critical");
        assertThat(incident.get("notes").get(0).get("text").asString()).isEqualTo("first seen in the CI logs");

        assertProblem(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"closed\"}", officer), 409, "incident-state");
        assertProblem(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"open\"}", officer), 400, "validation");
        assertThat(state(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"contained\"}", officer))).isEqualTo("contained");
        assertProblem(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"contained\"}", officer), 409, "incident-state");
        assertThat(post("/api/v1/incidents/" + id + "/notes", "{\"text\": \"key revoked\"}", officer).statusCode()).isEqualTo(200);
        assertThat(state(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"closed\"}", officer))).isEqualTo("closed");
        assertProblem(post("/api/v1/incidents/" + id + "/state", "{\"state\": \"closed\"}", officer), 409, "incident-state");
        assertProblem(post("/api/v1/incidents/" + id + "/notes", "{\"text\": \"too late\"}", officer), 409, "incident-state");

        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "outcome", "reason", "actor")).toList())
                .containsExactly("incident.open|success|null|" + officer.operatorId(), "incident.note|success|null|" + officer.operatorId(),
                        "incident.close|failure|incident-state|" + officer.operatorId(),
                        "incident.contain|success|null|" + officer.operatorId(),
                        "incident.contain|failure|incident-state|" + officer.operatorId(),
                        "incident.note|success|null|" + officer.operatorId(), "incident.close|success|null|" + officer.operatorId(),
                        "incident.close|failure|incident-state|" + officer.operatorId(),
                        "incident.note|failure|incident-state|" + officer.operatorId());
        assertThat(AuditEvents.all(jdbc).stream().map(JsonNode::toString).filter(text -> text.contains("Leaked signing key")
                || text.contains("CI logs"))).as("titles and notes stay out of the audit log").isEmpty();
    }

    @Test
    void onlyIncidentManagersSeeOrOpenIncidentsAndAnApiKeyNever() {
        SignedInOperators.Session auditor = operators().signIn("inc-auditor", Role.AUDITOR);
        assertProblem(https.get("/api/v1/incidents", auditor.headers()), 403, "forbidden");
        assertProblem(post("/api/v1/incidents", "{\"title\": \"x\", \"severity\": \"low\"}", auditor), 403, "forbidden");
        SignedInOperators.Session admin = operators().signIn("inc-admin", Role.PLATFORM_ADMIN);
        assertProblem(post("/api/v1/incidents", "{\"title\": \"two\\nlines\", \"severity\": \"low\"}", admin), 400, "validation");
        assertProblem(post("/api/v1/incidents", "{\"title\": \"ok\", \"severity\": \"urgent\"}", admin), 400, "validation");
        String id = open(admin, "Admin's incident", "low");
        assertProblem(https.get("/api/v1/incidents/" + id + "/timeline", admin.headers()), 403, "forbidden");
    }

    // --- the runbook ---

    @Test
    void theKillSwitchFromAnIncidentRevokesTheVersionAndItsEntryCarriesTheIncident() throws Exception {
        TestAdvisories.imported(context);
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session reviewer = registry.operators.signIn("inc-reviewer", Role.REVIEWER);
        String versionId = registry.submitted(developer, RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", Map.of()));
        assertThat(registry.approve(versionId, "utility", reviewer).statusCode()).isEqualTo(200);
        String id = open(registry.officer, "Malicious release", "high");
        String body = "{\"appId\": \"" + developer.appId() + "\", \"version\": \"1.0.0\", \"reason\": \"exfiltrates contacts\"}";

        assertProblem(post("/api/v1/incidents/" + id + "/kill-switch", body, reviewer), 403, "forbidden");
        assertProblem(withoutStepUp("/api/v1/incidents/" + id + "/kill-switch", body, Role.SECURITY_OFFICER), 403, "step-up-required");
        assertThat(revoked(registry, developer.appId())).as("nothing refused changed anything").isFalse();

        HttpResponse<String> done = post("/api/v1/incidents/" + id + "/kill-switch", body, registry.officer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(TestHttps.json(done).get("summary").asString()).contains("revoked everywhere");
        assertThat(revoked(registry, developer.appId())).isTrue();
        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "outcome", "app")).toList())
                .contains("release.revoke|success|" + developer.appId());
        // The same operation is still where it was, and refuses a second revocation — audited under the incident too.
        assertProblem(post("/api/v1/incidents/" + id + "/kill-switch", body, registry.officer), 409, "release-state-conflict");
        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "outcome", "reason")).toList())
                .contains("release.revoke|failure|already-revoked");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "action").equals("POST /api/v1/incidents/{id}/kill-switch")).stream()
                .map(e -> AuditEvents.text(e, "reason")).toList()).contains("forbidden", "step-up-required");
    }

    @Test
    void keyRotationFromAnIncidentStartsTheKeysModulesRotation() {
        SignedInOperators.Session officer = operators().signIn("inc-rotator", Role.SECURITY_OFFICER);
        SignedInOperators.Session admin = operators().signIn("inc-admin", Role.PLATFORM_ADMIN);
        String id = open(officer, "Key material exposed", "high");
        String body = "{\"purpose\": \"merchant-secrets\"}";

        assertProblem(post("/api/v1/incidents/" + id + "/key-rotations", body, admin), 403, "forbidden");
        assertProblem(withoutStepUp("/api/v1/incidents/" + id + "/key-rotations", body, Role.SECURITY_OFFICER), 403, "step-up-required");
        HttpResponse<String> done = post("/api/v1/incidents/" + id + "/key-rotations", body, officer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        String follow = TestHttps.json(done).get("follow").asString();
        assertThat(follow).startsWith("/console/keys/rotations/");
        String rotation = follow.substring("/console/keys/rotations/".length());
        JsonNode status = TestHttps.json(https.get("/api/v1/keys/rotations/" + rotation, officer.headers()));
        assertThat(status.get("purpose").asString()).isEqualTo("merchant-secrets");
        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "purpose", "key")).toList())
                .contains("key.rotate|merchant-secrets|" + status.get("newKeyId").asString());
        assertProblem(post("/api/v1/incidents/" + id + "/key-rotations", "{\"purpose\": \"no-such-purpose\"}", officer), 404,
                "unknown-key-purpose");
    }

    @Test
    void suspendingAnOrganisationRefusesItsApiKeysAndUploadsUntilTheSuspensionIsLifted() {
        TestAdvisories.imported(context);
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session member = registry.operators.signIn("inc-member", Role.DEVELOPER);
        assertThat(registry.post("/api/v1/organisations/" + developer.organisationId() + "/members",
                "{\"operatorId\": \"" + member.operatorId() + "\"}", registry.admin.headers()).statusCode()).isEqualTo(200);
        String[] bearer = {"Authorization", "Bearer " + developer.token()};
        assertThat(https.get("/api/v1/packages", bearer).statusCode()).isEqualTo(200);
        String id = open(registry.officer, "Compromised developer", "high");
        String body = "{\"organisationId\": \"" + developer.organisationId() + "\", \"reason\": \"its CI was breached\"}";
        SignedInOperators.Session reviewer = registry.operators.signIn("inc-reviewer", Role.REVIEWER);

        assertProblem(post("/api/v1/incidents/" + id + "/suspensions", body, reviewer), 403, "forbidden");
        assertProblem(withoutStepUp("/api/v1/incidents/" + id + "/suspensions", body, Role.PLATFORM_ADMIN), 403, "step-up-required");
        assertThat(https.get("/api/v1/packages", bearer).statusCode()).isEqualTo(200);

        HttpResponse<String> done = post("/api/v1/incidents/" + id + "/suspensions", body, registry.officer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertProblem(https.get("/api/v1/packages", bearer), 403, "organisation-suspended");
        assertProblem(upload(RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", Map.of()), bearer), 403,
                "organisation-suspended");
        assertProblem(upload(RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", Map.of()), member.headers()), 403,
                "organisation-suspended");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.submit")
                && AuditEvents.text(e, "actor").equals(member.operatorId().toString())).stream()
                .map(e -> AuditEvents.line(e, "|", "outcome", "reason")).toList()).containsExactly("failure|organisation-suspended");
        HttpResponse<String> page = https.get("/console/organisations/" + developer.organisationId(), registry.admin.headers());
        assertThat(page.body()).contains("its CI was breached").contains("<strong>suspended</strong>");
        assertThat(TestHttps.json(https.get("/api/v1/organisations/" + developer.organisationId(), registry.admin.headers()))
                .get("suspended").asBoolean()).isTrue();
        assertProblem(post("/api/v1/incidents/" + id + "/suspensions", body, registry.officer), 409, "suspension-state");

        HttpResponse<String> lifted = post("/api/v1/incidents/" + id + "/suspensions/" + developer.organisationId() + "/lift", "",
                registry.officer);
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(https.get("/api/v1/packages", bearer).statusCode()).isEqualTo(200);
        HttpResponse<String> uploaded = upload(RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", Map.of()), bearer);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);

        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "outcome", "reason", "detail")).toList())
                .contains("organisation.suspend|success|null|organisation " + developer.organisationId(),
                        "organisation.suspend|failure|suspension-state|organisation " + developer.organisationId(),
                        "organisation.lift-suspension|success|null|organisation " + developer.organisationId());
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "reason").equals("organisation-suspended")).stream()
                .map(e -> AuditEvents.line(e, "|", "action", "apiKey")).toList())
                .as("a suspended organisation's key is denied, and audited with the key").anySatisfy(line ->
                        assertThat(line).startsWith("GET /api/v1/packages|").doesNotEndWith("|null"));
    }

    @Test
    void theForcedSignOutEndsEveryOtherOperatorsSessionButNotTheActors() {
        SignedInOperators.Session officer = operators().signIn("inc-signout", Role.SECURITY_OFFICER);
        SignedInOperators.Session other = operators().signIn("inc-victim", Role.AUDITOR);
        SignedInOperators.Session reviewer = operators().signIn("inc-reviewer", Role.REVIEWER);
        String id = open(officer, "Stolen session cookie", "critical");
        assertThat(https.get("/api/v1/auth/session", other.headers()).statusCode()).isEqualTo(200);

        assertProblem(post("/api/v1/incidents/" + id + "/operator-sign-out", "", reviewer), 403, "forbidden");
        assertProblem(withoutStepUp("/api/v1/incidents/" + id + "/operator-sign-out", "", Role.SECURITY_OFFICER), 403, "step-up-required");
        assertThat(https.get("/api/v1/auth/session", other.headers()).statusCode()).as("nothing refused changed anything").isEqualTo(200);

        HttpResponse<String> done = post("/api/v1/incidents/" + id + "/operator-sign-out", "", officer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(TestHttps.json(done).get("summary").asString()).contains("API keys are not sessions");
        assertThat(https.get("/api/v1/auth/session", other.headers()).statusCode()).isEqualTo(401);
        assertThat(https.get("/api/v1/auth/session", reviewer.headers()).statusCode()).isEqualTo(401);
        assertThat(https.get("/api/v1/auth/session", officer.headers()).statusCode()).isEqualTo(200);
        assertThat(https.get("/api/v1/incidents/" + id, officer.headers()).statusCode()).isEqualTo(200);
        assertThat(underIncident(id).stream().map(e -> AuditEvents.line(e, "|", "type", "outcome", "actor")).toList())
                .contains("operator.sign-out-all|success|" + officer.operatorId());
    }

    @Test
    void nothingIsDoneUnderAClosedIncident() {
        SignedInOperators.Session officer = operators().signIn("inc-closer", Role.SECURITY_OFFICER);
        String id = open(officer, "Over", "low");
        post("/api/v1/incidents/" + id + "/state", "{\"state\": \"contained\"}", officer);
        post("/api/v1/incidents/" + id + "/state", "{\"state\": \"closed\"}", officer);
        assertProblem(post("/api/v1/incidents/" + id + "/key-rotations", "{\"purpose\": \"merchant-secrets\"}", officer), 409,
                "incident-state");
        assertThat(underIncident(id).stream().map(e -> AuditEvents.text(e, "type")).toList()).doesNotContain("key.rotate");
    }

    @Test
    void theIncidentPagesFormsActWithOneClickAndOnlyAfterAFreshSecondFactor() {
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session officer = registry.officer;
        SignedInOperators.Session reviewer = registry.operators.signIn("inc-page-reviewer", Role.REVIEWER);
        String id = open(officer, "From the page", "high");
        String page = "/console/incidents/" + id;
        assertThat(https.get(page, officer.headers()).body()).contains("id=\"suspend\"", "id=\"sign-out-all\"", "id=\"rotate\"");

        HttpResponse<String> refused = form(page + "/suspensions", "organisationId=" + developer.organisationId() + "&reason=breach",
                reviewer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains(ProblemType.BASE_URI + "forbidden");

        HttpResponse<String> suspended = form(page + "/suspensions", "organisationId=" + developer.organisationId() + "&reason=breach",
                officer);
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(302);
        assertThat(suspended.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith(page));
        assertThat(suspendedNow(registry, developer)).isTrue();

        clock.advance(Duration.ofMinutes(6)); // the second factor of the sign-in is older than step-up allows
        HttpResponse<String> stale = form(page + "/suspensions/" + developer.organisationId() + "/lift", "", officer);
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.body()).contains(ProblemType.BASE_URI + "step-up-required", "/console/step-up");
        assertThat(suspendedNow(registry, developer)).as("nothing refused changed anything").isTrue();
        clock.reset();
        assertThat(form(page + "/suspensions/" + developer.organisationId() + "/lift", "", officer).statusCode()).isEqualTo(302);
        assertThat(suspendedNow(registry, developer)).isFalse();
        assertThat(underIncident(id).stream().map(e -> AuditEvents.text(e, "type")).toList())
                .contains("organisation.suspend", "organisation.lift-suspension");
    }

    // --- the timeline ---

    @Test
    void theTimelineHoldsTheIncidentsEntriesAndTheWindowsSecurityEntriesABoundedPageAtATime() throws Exception {
        SignedInOperators.Session officer = operators().signIn("inc-timeline", Role.SECURITY_OFFICER);
        SignedInOperators.Session admin = operators().signIn("inc-timeline-admin", Role.PLATFORM_ADMIN);
        String before = apiKey(admin, "before-the-incident");
        awaitSequenced(); // an entry's time is when the log sequenced it: let this one be sequenced before the incident opens
        String id = open(officer, "Timeline", "medium");
        String during = apiKey(admin, "during-the-incident");
        int notes = 105; // with the opening, its first note and the two steps: more than one page
        for (int n = 0; n < notes; n++) {
            assertThat(post("/api/v1/incidents/" + id + "/notes", "{\"text\": \"note " + n + "\"}", officer).statusCode()).isEqualTo(200);
        }
        post("/api/v1/incidents/" + id + "/state", "{\"state\": \"contained\"}", officer);
        post("/api/v1/incidents/" + id + "/state", "{\"state\": \"closed\"}", officer);
        Thread.sleep(50); // the next entry is written after the close, by the clock
        String after = apiKey(admin, "after-the-incident");
        awaitSequenced();

        List<JsonNode> entries = new ArrayList<>();
        JsonNode first = TestHttps.json(https.get("/api/v1/incidents/" + id + "/timeline", officer.headers()));
        assertThat(first.get("entries").size()).as("one page holds at most 100 entries").isEqualTo(100);
        assertThat(first.get("next").isNumber()).isTrue();
        first.get("entries").forEach(entries::add);
        JsonNode page = first;
        while (page.get("next") != null && page.get("next").isNumber()) {
            page = TestHttps.json(https.get("/api/v1/incidents/" + id + "/timeline?after=" + page.get("next").asLong(), officer.headers()));
            page.get("entries").forEach(entries::add);
        }
        List<String> ours = entries.stream().filter(e -> e.get("underIncident").asBoolean()).map(e -> e.get("type").asString()).toList();
        assertThat(ours).hasSize(2 + notes + 2).startsWith("incident.open").endsWith("incident.contain", "incident.close");
        List<String> keys = entries.stream().filter(e -> e.get("type").asString().equals("api-key.create"))
                .map(e -> e.get("apiKey").asString()).toList();
        assertThat(keys).as("the window's security entries, not those before it or after it").contains(during)
                .doesNotContain(before, after);
        assertThat(entries.stream().mapToLong(e -> e.get("index").asLong()).toArray()).isSorted();
        assertProblem(https.get("/api/v1/incidents/" + id + "/timeline?after=-1", officer.headers()), 400, "validation");
    }

    // --- helpers ---

    private SignedInOperators operators() {
        return new SignedInOperators(context, https);
    }

    private String open(SignedInOperators.Session session, String title, String severity) {
        HttpResponse<String> opened = post("/api/v1/incidents", "{\"title\": \"" + title + "\", \"severity\": \"" + severity
                + "\", \"note\": \"first seen in the CI logs\"}", session);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        return TestHttps.json(opened).get("id").asString();
    }

    private HttpResponse<String> post(String path, String json, SignedInOperators.Session session) {
        return https.send(https.request(path).header("Content-Type", "application/json").headers(session.headers())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A caller holding the role's permissions who has no operator session, so can never step up. */
    private HttpResponse<String> withoutStepUp(String path, String json, Role role) {
        return https.send(https.request(path).header("Content-Type", "application/json")
                .headers(TestAuthentication.USER_HEADER, "hdr-" + role.code(), TestAuthentication.ROLES_HEADER, role.name())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A console form post, as the browser sends it (the CSRF token travels in the session's header). */
    private HttpResponse<String> form(String path, String body, SignedInOperators.Session session) {
        return https.send(https.request(path).header("Content-Type", "application/x-www-form-urlencoded").headers(session.headers())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private boolean suspendedNow(RegistryFixture registry, RegistryFixture.Developer developer) {
        return TestHttps.json(https.get("/api/v1/organisations/" + developer.organisationId(), registry.admin.headers()))
                .get("suspended").asBoolean();
    }

    private HttpResponse<String> upload(byte[] pkg, String... headers) {
        return https.send(https.request("/api/v1/packages").header("Content-Type", "application/octet-stream").headers(headers)
                .POST(HttpRequest.BodyPublishers.ofByteArray(pkg)).build());
    }

    /** Creates an API key (audited as api-key.create); returns its public id. */
    private String apiKey(SignedInOperators.Session admin, String name) {
        HttpResponse<String> created = post("/api/v1/api-keys", "{\"name\": \"" + name + "\", \"permissions\": [\"metrics.read\"], "
                + "\"expiresInDays\": 1}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttps.json(created).get("key").get("keyId").asString();
    }

    private boolean revoked(RegistryFixture registry, String app) {
        JsonNode state = TestHttps.json(https.get("/api/v1/releases/" + app, registry.admin.headers()));
        return state.get("versions").get(0).get("revoked").asBoolean();
    }

    private List<JsonNode> underIncident(String id) {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "incident").equals(id));
    }

    private void awaitSequenced() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (jdbc.sql("SELECT count(*) FROM audit_pending").query(Long.class).single() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    private static String state(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttps.json(response).get("state").asString();
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
    }
}
