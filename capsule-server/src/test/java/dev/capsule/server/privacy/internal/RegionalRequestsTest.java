package dev.capsule.server.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.IdentityAssertion;
import dev.capsule.server.privacy.PrivacyExport;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequestId;
import dev.capsule.server.privacy.PrivacyRequests;
import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.host.internal.ShellSignIn;
import dev.capsule.server.privacy.SubjectPlacements;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TwoRegionServerInitializer;
import dev.capsule.testing.server.TwoRegionServerTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Residency of data-subject requests, on a server with two regions ({@link TwoRegionServerTest}: the home region
 * {@code local} and {@code eu}, each its own database): a person placed in eu has their request and export written to the eu database and none of it to the
 * home one (plain SQL on both); their export says region eu and the eu database's location; an operator finds the
 * request by id and in the list, shown with its region; their erasure deletes their exports from the eu database and
 * its certificate names eu; a placement in a region the installation does not have is refused, never replaced by the
 * home database.
 */
@TwoRegionServerTest
class RegionalRequestsTest {
    static final RegionId EU = TwoRegionServerInitializer.EU;

    @Autowired PrivacyRequests requests;
    @Autowired RequestService service;
    @Autowired Residency residency;
    @Autowired SubjectPlacements placements;
    @Autowired ShellSignIn signIn;
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JsonMapper json;

    RegionalDatabase eu;
    RegionalDatabase home;
    SignedInOperators.Session officer;

    @BeforeEach
    void twoRegions() {
        assertThat(residency.home()).as("the test's home region is not eu").isNotEqualTo(EU);
        eu = residency.database(EU);
        home = residency.database(residency.home());
        officer = new SignedInOperators(context, https).signIn("residency-officer", Role.SECURITY_OFFICER);
    }

    /**
     * Places the person in {@code region} the host's way — their first sign-in, a grant naming the region — and returns
     * their shell session's cookie.
     */
    String place(DataSubject subject, RegionId region) {
        return signIn.exchange(signIn.issue("apikey:0123456789abcdef", new ShellUserId(subject.userId()), Optional.empty(), 60, region)
                .token()).orElseThrow().cookieToken();
    }

    @Test
    void anEuPersonsRequestsAndExportsAreInTheEuDatabaseOnlyAndOperatorsFindThem() {
        DataSubject eve = new DataSubject("eve-" + System.nanoTime());
        String eveCookie = place(eve, EU);
        assertThat(placements.regionOf(eve)).hasValue(EU);

        HttpResponse<String> filed = https.send(https.request("/api/v1/privacy/requests").headers(officer.headers())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"export\", \"user\": \"" + eve.userId() + "\"}")).build());
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        assertThat(TestHttps.json(filed).path("region").asString()).isEqualTo("eu");
        PrivacyRequestId id = PrivacyRequestId.parse(TestHttps.json(filed).path("id").asString()).orElseThrow();
        assertThat(requestRows(eu, id)).as("the request is in the eu database").isEqualTo(1);
        assertThat(requestRows(home, id)).as("and not in the home one").isZero();

        PrivacyRequest done = requests.confirm(id, eve, assertion()).orElseThrow();
        assertThat(done.state()).isEqualTo(PrivacyRequest.RequestState.DONE);
        assertThat(chunkRows(eu, id)).as("the export is in the eu database").isPositive();
        assertThat(chunkRows(home, id)).as("and not in the home one").isZero();
        assertThat(requests.of(eve)).extracting(PrivacyRequest::id).containsExactly(id);

        PrivacyExport export = requests.export(id, eve).orElseThrow();
        assertThat(export.residency()).hasValueSatisfying(r -> {
            assertThat(r.region()).isEqualTo(EU);
            assertThat(r.location()).isEqualTo(eu.location());
            assertThat(r.home()).isEqualTo(residency.home());
        });
        JsonNode document = json.readTree(new String(export.json(), StandardCharsets.UTF_8));
        assertThat(document.path("residency").path("region").asString()).isEqualTo("eu");
        assertThat(document.path("residency").path("location").asString()).isEqualTo(eu.location());
        assertThat(document.path("residency").path("home").asString()).isEqualTo(residency.home().value());
        assertThat(requests.export(id, new DataSubject("someone-else-" + System.nanoTime()))).as("nobody else opens it").isEmpty();
        HttpResponse<String> shown = https.get("/shell/privacy/requests/" + id + "/export", "Cookie", ShellHttp.COOKIE + "=" + eveCookie);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).as("her export's page says where her data lives")
                .contains("Your data is stored in region eu (" + HtmlUtils.htmlEscape(eu.location()) + ").");

        JsonNode one = TestHttps.json(https.get("/api/v1/privacy/requests/" + id, officer.headers()));
        assertThat(one.path("request").path("region").asString()).as("an operator finds it by id").isEqualTo("eu");
        assertThat(one.path("request").path("state").asString()).isEqualTo("done");
        HttpResponse<String> page = https.get("/console/privacy/requests/" + id, officer.headers());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<dd id=\"region\">eu</dd>");
        JsonNode list = TestHttps.json(https.get("/api/v1/privacy/requests", officer.headers()));
        java.util.List<String> listed = new java.util.ArrayList<>();
        list.forEach(r -> listed.add(r.path("id").asString() + " " + r.path("region").asString()));
        assertThat(listed).as("the list merges the regions' requests, each with its region").contains(id + " eu");

        long chunks = chunkRows(eu, id);
        PrivacyRequest erasure = requests.file(eve, PrivacyRequest.RequestKind.ERASURE, assertion());
        assertThat(erasure.state()).isEqualTo(PrivacyRequest.RequestState.DONE);
        assertThat(chunkRows(eu, id)).as("her export is erased from the eu database").isZero();
        assertThat(requestRows(eu, erasure.id())).as("the erasure request is kept in eu, by pseudonym").isEqualTo(1);
        assertThat(requestRows(home, erasure.id())).isZero();
        JsonNode certificate = json.readTree(TestHttps.json(https.get("/api/v1/privacy/requests/" + erasure.id(), officer.headers()))
                .path("certificate").asString());
        assertThat(certificate.path("region").asString()).isEqualTo("eu");
        assertThat(certificate.path("holders").path("privacy.requests").path("deleted").path("privacy_export_chunks").asLong())
                .isEqualTo(chunks);
    }

    @Test
    void operatorsPagesMergeTheRegionsNewestFirstAndContinueFromAnyRegion() {
        java.util.List<RegionalRequest> filed = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DataSubject person = new DataSubject("paged-" + i + "-" + System.nanoTime());
            if (i % 2 == 0) {
                place(person, EU);
            }
            filed.add(service.fileFor(dev.capsule.server.access.OperatorId.of(java.util.UUID.randomUUID()), person,
                    PrivacyRequest.RequestKind.EXPORT));
        }
        assertThat(filed).extracting(RegionalRequest::region).containsExactly(EU, residency.home(), EU, residency.home());
        java.util.List<RegionalRequest> newestFirst = filed.reversed();

        java.util.List<RegionalRequest> first = service.page(Optional.empty(), 3);
        assertThat(first).as("the three newest, from both regions").isEqualTo(newestFirst.subList(0, 3));
        java.util.List<RegionalRequest> next = service.page(Optional.of(first.getLast().request().id()), 3);
        assertThat(next.getFirst()).as("the next page goes on after an eu request, with a home one").isEqualTo(newestFirst.get(3));
        assertThat(service.find(filed.get(0).request().id())).hasValue(filed.get(0));
        assertThat(service.find(filed.get(1).request().id())).hasValue(filed.get(1));
        assertThat(service.find(PrivacyRequestId.random())).as("an id no region has").isEmpty();
    }

    @Test
    void aPersonOfTheHomeRegionStaysInTheHomeDatabase() {
        DataSubject hugo = new DataSubject("hugo-" + System.nanoTime());
        PrivacyRequest done = requests.file(hugo, PrivacyRequest.RequestKind.EXPORT, assertion());
        assertThat(requestRows(home, done.id())).isEqualTo(1);
        assertThat(requestRows(eu, done.id())).isZero();
        assertThat(chunkRows(eu, done.id())).isZero();
        assertThat(requests.export(done.id(), hugo).orElseThrow().residency())
                .hasValueSatisfying(r -> assertThat(r.region()).isEqualTo(residency.home()));
    }

    @Test
    void aPlacementInARegionTheInstallationDoesNotHaveIsRefusedNeverTheHomeDatabase() {
        RegionId elsewhere = new RegionId("ap-south");
        SubjectRegions regions = new SubjectRegions(residency, subject -> Optional.of(elsewhere));
        assertThatThrownBy(() -> regions.of(new DataSubject("ana-" + System.nanoTime())))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.RESIDENCY));
        SubjectRegions unplaced = new SubjectRegions(residency, subject -> Optional.empty());
        assertThat(unplaced.of(new DataSubject("never-placed")).region()).as("a person never placed: the home region")
                .isEqualTo(residency.home());
    }

    private static long requestRows(RegionalDatabase db, PrivacyRequestId id) {
        return db.jdbc().sql("SELECT count(*) FROM privacy_requests WHERE id = :id").param("id", id.value()).query(Long.class).single();
    }

    private static long chunkRows(RegionalDatabase db, PrivacyRequestId id) {
        return db.jdbc().sql("SELECT count(*) FROM privacy_export_chunks WHERE request_id = :id").param("id", id.value())
                .query(Long.class).single();
    }

    private static IdentityAssertion assertion() {
        return new IdentityAssertion(IdentityAssertion.Source.SESSION_GRANT, Instant.now());
    }
}
