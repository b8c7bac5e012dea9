package dev.capsule.server.host.internal;

import static dev.capsule.server.host.ShellHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TwoRegionServerTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Data residency in the host (docs/residency.md), on a server with two regions — the home region {@code local} and
 * {@code eu}, each its own PostgreSQL database: a user granted in {@code eu} has their placement, grant, shell session,
 * consent, storage, storage use and privacy labels in the eu database and nothing of it in the home one; a grant naming
 * another region for them, or a region the installation does not have, is refused; payments, kept in the home region,
 * are refused to them; their export says where their data lives and their erasure empties the eu database of them.
 */
@TwoRegionServerTest
class HostResidencyTest {
    private static final RegionId EU = new RegionId("eu");
    private static final MiniProgramId APP = MiniProgramId.of("com.example.residency");
    private static final PrivacyDigest DIGEST = PrivacyDigest.parse("a1".repeat(32));

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient homeJdbc;
    @Autowired Residency residency;
    @Autowired ShellSignIn signIn;
    @Autowired JdbcConsentLedger ledger;
    @Autowired RegionalStorage storage;
    @Autowired StorageUse storageUse;
    @Autowired PrivacyLabels labels;
    @Autowired PairwiseIds pairwise;
    @Autowired HostPersonalData holder;
    @Autowired Placements placements;

    private RegistryFixture registry;
    private String sessionsKey;

    private JdbcClient eu() {
        return residency.database(EU).jdbc();
    }

    private String[] sessionsKey() {
        if (sessionsKey == null) {
            registry = new RegistryFixture(https, context);
            sessionsKey = registry.platformApiKey("sessions.open");
        }
        return new String[] {"Authorization", "Bearer " + sessionsKey};
    }

    private HttpResponse<String> grant(String user, String region) {
        String[] key = sessionsKey();
        return registry.post("/api/v1/session-grants", "{\"user\": \"" + user + "\"" + (region == null ? "" : ", \"region\": \"" + region + "\"") + "}",
                key);
    }

    private static long count(JdbcClient jdbc, String sql, Object value) {
        return jdbc.sql(sql).param("v", value).query(Long.class).single();
    }

    /** Rows naming {@code user} or their pairwise id in the host's tables of one database. */
    private long rowsAbout(JdbcClient jdbc, ShellUserId user) {
        String id = pairwise.runtimeUserId(APP, user);
        String area = EncryptedStorage.areaName(APP.value(), id);
        return count(jdbc, "SELECT count(*) FROM host_placements WHERE user_id = :v", user.value())
                + count(jdbc, "SELECT count(*) FROM host_grants WHERE user_id = :v", user.value())
                + count(jdbc, "SELECT count(*) FROM host_shell_sessions WHERE user_id = :v", user.value())
                + count(jdbc, "SELECT count(*) FROM host_consent_events WHERE user_id = :v", id)
                + count(jdbc, "SELECT count(*) FROM host_consent_current WHERE user_id = :v", id)
                + count(jdbc, "SELECT count(*) FROM host_privacy_labels WHERE user_id = :v", id)
                + count(jdbc, "SELECT count(*) FROM host_storage_blobs WHERE area = :v", area)
                + count(jdbc, "SELECT count(*) FROM host_storage_use WHERE area = :v", area);
    }

    /** Signs {@code user} in through a grant naming {@code eu}, and gives them consent, storage and a label seen there. */
    private ShellPrincipal signedInInEu(ShellUserId user) throws StorageException {
        HttpResponse<String> granted = grant(user.value(), "eu");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        String token = TestHttps.json(granted).get("grant").asString();
        ShellSignIn.Entered entered = signIn.exchange(token).orElseThrow();
        ShellPrincipal who = signIn.session(entered.cookieToken()).orElseThrow().principal();
        assertThat(who.region()).isEqualTo(EU);

        String id = pairwise.runtimeUserId(APP, user);
        RegionalDatabase db = residency.database(who.region());
        ledger.in(db).record(APP.value(), id, new dev.capsule.runtime.host.ConsentLedger.Topic("scope.userLocation", "to show nearby shops",
                DIGEST), true);
        storage.opened(APP.value(), id, who.region());
        try {
            storage.forRuntime().open(APP.value(), id).set("note", "\"kept in eu\"");
        } finally {
            storage.closed(APP.value(), id);
        }
        storageUse.used(db, APP, id);
        labels.continued(APP, who, DIGEST);
        return who;
    }

    @Test
    void aUserGrantedInARegionHasEveryHostRowInThatRegionsDatabaseAndNoneInTheHomeOne() throws Exception {
        ShellUserId user = new ShellUserId("eu-resident-1");
        signedInInEu(user);

        assertThat(rowsAbout(eu(), user)).as("placement, grant, session, consent (2), label, storage, use").isGreaterThanOrEqualTo(8);
        assertThat(rowsAbout(homeJdbc, user)).as("nothing of an eu user in the home database").isZero();
        assertThat(placements.regionOf(user)).contains(EU);
        assertThat(ledger.in(residency.database(EU)).current(APP.value(), pairwise.runtimeUserId(APP, user), "scope.userLocation"))
                .as("read back from the eu database").isPresent();
        assertThat(ledger.current(APP.value(), pairwise.runtimeUserId(APP, user), "scope.userLocation"))
                .as("the home region's ledger does not know it").isEmpty();
    }

    @Test
    void aGrantThatWouldPlaceAUserInAnotherRegionOrAnUnknownOneIsRefusedAndAudited() throws Exception {
        ShellUserId user = new ShellUserId("eu-resident-2");
        signedInInEu(user);

        assertProblem(grant(user.value(), null), 409, "residency");
        assertProblem(grant(user.value(), "local"), 409, "residency");
        HttpResponse<String> elsewhere = grant(user.value(), "local");
        assertThat(elsewhere.body()).as("the refusal does not say which region holds the user").doesNotContain("\"eu\"").doesNotContain(" eu ");
        assertProblem(grant("new-person-3", "mars"), 409, "residency");
        assertProblem(grant("new-person-3", "Not A Region"), 400, "validation");
        assertThat(rowsAbout(homeJdbc, user)).as("the refused grants stored nothing in the home database").isZero();
        assertThat(placements.regionOf(new ShellUserId("new-person-3"))).as("a refused grant places nobody").isEmpty();

        assertThat(grant(user.value(), "eu").statusCode()).as("the user's own region still grants").isEqualTo(201);
        List<JsonNode> refusals = AuditEvents.where(homeJdbc, e -> AuditEvents.text(e, "type").equals("session-grant.issue")
                && AuditEvents.text(e, "outcome").equals("failure"));
        assertThat(refusals).extracting(e -> AuditEvents.text(e, "reason")).contains("residency");
    }

    @Test
    void aHomeUserIsPlacedInTheHomeRegionAndAStorageAreaNoSessionHasOpenIsNotGuessed() throws Exception {
        HttpResponse<String> granted = grant("home-resident-4", null);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(placements.regionOf(new ShellUserId("home-resident-4"))).contains(residency.home());
        assertThat(count(eu(), "SELECT count(*) FROM host_placements WHERE user_id = :v", "home-resident-4")).isZero();

        assertThatThrownBy(() -> storage.forRuntime().open(APP.value(), pairwise.runtimeUserId(APP, new ShellUserId("eu-resident-1"))))
                .as("with two regions, an area is opened only in the region of a session that has it open")
                .isInstanceOf(StorageException.class).hasMessageContaining("region");
    }

    @Test
    void paymentsAreRefusedToAPersonOfAnotherRegionAuditedAndAllowedToAHomeOne() throws Exception {
        ShellPrincipal euUser = signedInInEu(new ShellUserId("eu-resident-5"));
        assertThatThrownBy(() -> placements.requireHomeForPayments(euUser)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).type()).isEqualTo(ProblemType.RESIDENCY));
        assertThat(placements.paymentsAllowed(euUser)).isFalse();
        assertThat(AuditEvents.where(homeJdbc, e -> AuditEvents.text(e, "type").equals("residency.refuse")))
                .as("the refusal is audited").extracting(e -> AuditEvents.line(e, "|", "outcome", "reason")).contains("denied|payments");
        ShellPrincipal homeUser = new ShellPrincipal(new ShellUserId("home-resident-5"), Optional.empty(), false,
                java.time.Instant.now().plusSeconds(60), residency.home());
        placements.requireHomeForPayments(homeUser);
        assertThat(placements.paymentsAllowed(homeUser)).isTrue();
    }

    @Test
    void theExportSaysWhereTheDataLivesAndErasureEmptiesTheRegionsDatabaseOfTheUser() throws Exception {
        ShellUserId user = new ShellUserId("eu-resident-6");
        signedInInEu(user);
        DataSubject subject = new DataSubject(user.value());

        HeldData held = holder.export(subject);
        Map<String, Object> placement = held.records().stream().filter(r -> "placement".equals(r.get("kind"))).findFirst().orElseThrow();
        assertThat(placement).containsEntry("region", "eu").containsEntry("location", residency.database(EU).location());
        assertThat(held.records()).anySatisfy(r -> assertThat(r).containsEntry("kind", "storage").containsEntry("value", "\"kept in eu\""));

        residency.database(EU).transactions().executeWithoutResult(tx -> holder.erase(subject));
        assertThat(rowsAbout(eu(), user)).as("erased from the eu database").isZero();
        assertThat(placements.regionOf(user)).as("the placement goes with the rest").isEmpty();
    }
}
