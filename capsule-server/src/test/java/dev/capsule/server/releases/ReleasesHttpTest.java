package dev.capsule.server.releases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.NoteKey;
import dev.capsule.core.log.NoteVerification;
import dev.capsule.core.log.SignedNote;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSignature;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.core.release.ReleaseVerifier;
import dev.capsule.core.release.RevocationList;
import dev.capsule.core.release.RevocationOutcome;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The releases module against the real server (HTTPS, PostgreSQL): an approval countersigns and logs the release,
 * what the public endpoints serve verifies with core's {@link ReleaseVerifier} under the served trust file, rollout,
 * rollback and the kill switch change what is served and are all in the log and the audit log, and each rule's
 * refusal is a specific problem that is audited.
 */
@CapsuleServerTest
@Import({TestRegistry.Config.class, ReleasesHttpTest.Clocks.class})
class ReleasesHttpTest {
    private static final AtomicInteger APPS = new AtomicInteger();

    @Autowired TestHttps https;
    @Autowired TestRegistry registry;
    @Autowired JdbcClient jdbc;
    @Autowired PlatformSigner signer;
    @Autowired ApplicationContext context;
    @Autowired MutableClock clock;
    @Autowired dev.capsule.server.platform.internal.ServerCertificate certificate;

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A fresh app id per test, so tests share the context but not their rollouts. */
    private static String newApp() {
        return "com.example.rel" + APPS.incrementAndGet();
    }

    @Test
    void anApprovalIsCountersignedLoggedAndServedAsABundleThatVerifiesFromOutside() throws Exception {
        String app = newApp();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());

        // Everything a runtime needs is public: no authentication header on any of these requests.
        PlatformTrust trust = PlatformTrust.parse(https.get("/api/v1/releases/platform-trust").body().getBytes(StandardCharsets.UTF_8));
        assertThat(trust.keys(PlatformTrust.Purpose.RELEASE_CHECKPOINT)).contains(signer.primary(SigningPurpose.RELEASE_CHECKPOINT).key());
        HttpResponse<String> response = https.get("/api/v1/releases/" + app + "/bundle?user=alice");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ReleaseBundle bundle = ReleaseBundle.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(bundle.version()).isEqualTo("1.0.0");

        ReleaseOutcome outcome = new ReleaseVerifier(trust, Clock.systemUTC(), ReleaseVerifier.CHECKPOINT_AGE_MAX_DEFAULT)
                .verify(app, bundle, ReleaseClientState.empty());
        assertThat(outcome).as(outcome.toString()).isInstanceOf(ReleaseOutcome.Verified.class);
        ReleaseOutcome.Verified verified = (ReleaseOutcome.Verified) outcome;
        assertThat(verified.entry().developerKeyId()).isEqualTo(TestRegistry.DEVELOPER.publicKey().keyId());
        assertThat(verified.checkpoint().time()).isPresent();
        assertThat(PackageReader.read(bundle.packageBytes(), PackageLimits.DEFAULTS).signatures()).extracting(PackageSignature::role)
                .containsExactlyInAnyOrder(dev.capsule.core.pkg.Role.DEVELOPER, dev.capsule.core.pkg.Role.PLATFORM);

        // The release and its rollout are entries of the public log; the approval is audited.
        List<String> types = entryTypes(app);
        assertThat(types).containsExactly("release", "rollout");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("release.publish") && AuditEvents.text(e, "app").equals(app)))
                .singleElement().satisfies(e -> assertThat(AuditEvents.line(e, "|", "outcome", "detail")).isEqualTo("success|1.0.0"));
    }

    @Test
    void theCheckpointIsSignedUnderTheReleaseOriginWithATimeAndRefreshedWhenAnHourOld() throws Exception {
        registry.approve(newApp(), "1.0.0", TestRegistry.someApprover());
        Checkpoint first = checkpoint();
        assertThat(first.origin()).startsWith("capsule.local/releases/");
        assertThat(first.time()).isPresent();

        clock.advance(Duration.ofMinutes(59));
        assertThat(checkpoint()).as("under an hour old: the same checkpoint").isEqualTo(first);
        clock.advance(Duration.ofMinutes(2));
        Checkpoint refreshed = checkpoint();
        assertThat(refreshed.size()).isEqualTo(first.size());
        assertThat(refreshed.rootHash()).isEqualTo(first.rootHash());
        assertThat(refreshed.time().orElseThrow()).isAfter(first.time().orElseThrow().plus(Duration.ofMinutes(60)));
        clock.reset();
        assertThat(checkpoint().time().orElseThrow()).as("a checkpoint stamped ahead of the clock (set back) is re-signed at once")
                .isBefore(refreshed.time().orElseThrow());
    }

    @Test
    void theAuditCheckpointKeyDoesNotVerifyAReleaseCheckpoint() throws Exception {
        registry.approve(newApp(), "1.0.0", TestRegistry.someApprover());
        SignedNote note = SignedNote.parse(https.get("/api/v1/releases/log/checkpoint").body().getBytes(StandardCharsets.UTF_8));
        String origin = Checkpoint.parse(note.text()).origin();
        VerifyingKey releaseKey = signer.primary(SigningPurpose.RELEASE_CHECKPOINT).key();
        VerifyingKey auditKey = signer.primary(SigningPurpose.AUDIT_CHECKPOINT).key();
        assertThat(note.verify(List.of(new NoteKey(origin, releaseKey)))).isInstanceOf(NoteVerification.Verified.class);
        assertThat(note.verify(List.of(new NoteKey(origin, auditKey)))).isNotInstanceOf(NoteVerification.Verified.class);
    }

    @Test
    void aRolloutOnlyGrowsAndPauseFreezesIt() throws Exception {
        String app = newApp();
        SignedInOperators.Session admin = operators().signIn("rollout-admin", Role.PLATFORM_ADMIN);
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        registry.approve(app, "1.1.0", TestRegistry.someApprover());
        JsonNode state = TestHttps.json(https.get("/api/v1/releases/" + app, admin.headers()));
        assertThat(state.get("stableVersion").asString()).isEqualTo("1.0.0");
        assertThat(state.get("rollingVersion").asString()).isEqualTo("1.1.0");
        assertThat(state.get("percent").asInt()).as("after a completed rollout, the next starts at 0%").isZero();
        assertThat(servedVersion(app, "u1")).isEqualTo("1.0.0");

        assertThat(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 50}", admin).statusCode()).isEqualTo(200);
        long below = users().filter(user -> bucketServed(app, user, "1.1.0")).count();
        assertThat(below).as("about half of 40 users get 1.1.0").isBetween(8L, 32L);

        assertProblem(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 30}", admin), 409, "release-state-conflict");
        assertProblem(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 50}", admin), 409, "release-state-conflict");
        assertThat(post("/api/v1/releases/" + app + "/pause", "", admin).statusCode()).isEqualTo(200);
        assertProblem(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 80}", admin), 409, "release-state-conflict");
        assertThat(post("/api/v1/releases/" + app + "/resume", "", admin).statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 100}", admin).statusCode()).isEqualTo(200);
        assertThat(servedVersion(app, "u1")).isEqualTo("1.1.0");

        assertThat(entryTypes(app)).containsExactly("release", "rollout", "release", "rollout", "rollout", "rollout", "rollout", "rollout");
        assertThat(audit("release.rollout", app)).containsExactly("success|1.1.0 at 50%|null", "failure|null|percent-not-growing",
                "failure|null|percent-not-growing", "failure|null|rollout-paused", "success|1.1.0 at 100%|null");
        assertThat(audit("release.pause", app)).containsExactly("success|1.1.0|null");
    }

    @Test
    void aRollbackGoesOnlyToAnEarlierReleasedVersionAndIsCarriedInTheBundle() throws Exception {
        String app = newApp();
        SignedInOperators.Session admin = operators().signIn("rollback-admin", Role.PLATFORM_ADMIN);
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        registry.approve(app, "2.0.0", TestRegistry.someApprover());
        post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 100}", admin);

        assertProblem(post("/api/v1/releases/" + app + "/rollback", "{\"version\": \"1.5.0\"}", admin), 404, "release-not-found");
        assertProblem(post("/api/v1/releases/" + app + "/rollback", "{\"version\": \"2.0.0\"}", admin), 409, "release-state-conflict");
        assertThat(audit("release.rollback", app)).containsExactly("failure|1.5.0|not-released", "failure|2.0.0|not-earlier");

        PlatformTrust trust = trust();
        ReleaseVerifier verifier = new ReleaseVerifier(trust, Clock.systemUTC(), ReleaseVerifier.CHECKPOINT_AGE_MAX_DEFAULT);
        ReleaseOutcome onTwo = verifier.verify(app, bundle(app, "u1"), ReleaseClientState.empty());
        ReleaseClientState seenTwo = ((ReleaseOutcome.Verified) onTwo).newState();
        assertThat(seenTwo.highestVersion(app)).contains(SemanticVersion.parse("2.0.0"));

        assertThat(post("/api/v1/releases/" + app + "/rollback", "{\"version\": \"1.0.0\"}", admin).statusCode()).isEqualTo(200);
        // The runtime asks from the checkpoint it stored, so the bundle proves the log only grew since.
        ReleaseBundle back = bundle(app, "u1&since=" + seenTwo.checkpoint().orElseThrow().size());
        assertThat(back.version()).isEqualTo("1.0.0");
        assertThat(back.rollbackEntry()).isPresent();
        assertThat(verifier.verify(app, back, seenTwo)).as("a runtime that saw 2.0.0 accepts 1.0.0 with the rollback entry")
                .isInstanceOf(ReleaseOutcome.Verified.class);
        assertThat(entryTypes(app)).endsWith("rollback");
    }

    @Test
    void theKillSwitchNeedsStepUpRevokesEverywhereAndReissuesTheSignedList() throws Exception {
        String app = newApp();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        String body = "{\"version\": \"1.0.0\", \"reason\": \"exfiltrates contacts\"}";

        // A caller with the permission but no second factor in a session can never step up: refused and audited.
        HttpResponse<String> noStepUp = https.send(https.request("/api/v1/releases/" + app + "/revocations")
                .header("Content-Type", "application/json").headers(TestAuthentication.USER_HEADER, "hdr-officer",
                        TestAuthentication.ROLES_HEADER, Role.SECURITY_OFFICER.name())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertProblem(noStepUp, 403, "step-up-required");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "reason").equals("step-up-required")))
                .extracting(e -> AuditEvents.line(e, "|", "action", "permission"))
                .contains("POST /api/v1/releases/{appId}/revocations|releases.killswitch");
        assertThat(servedVersion(app, "u1")).isEqualTo("1.0.0");

        long before = revocations().sequence();
        SignedInOperators.Session officer = operators().signIn("kill-officer", Role.SECURITY_OFFICER);
        HttpResponse<String> revoked = post("/api/v1/releases/" + app + "/revocations", body, officer);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        RevocationList list = revocations();
        assertThat(list.sequence()).isEqualTo(before + 1);
        assertThat(list.revocation(app, "1.0.0")).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("exfiltrates contacts"));
        assertThat(list.expires()).isEqualTo(list.issued().plus(RevocationList.VALIDITY));
        assertProblem(https.get("/api/v1/releases/" + app + "/bundle?user=u1"), 410, "release-revoked");
        assertProblem(post("/api/v1/releases/" + app + "/revocations", body, officer), 409, "release-state-conflict");
        assertThat(entryTypes(app)).endsWith("revocation");
        assertThat(audit("release.revoke", app)).containsExactly("success|1.0.0|null", "failure|1.0.0|already-revoked");
    }

    @Test
    void theMinimumRuntimeOnlyRisesAndIsCarriedInTheRevocationList() throws Exception {
        SignedInOperators.Session officer = operators().signIn("minimum-officer", Role.SECURITY_OFFICER);
        assertThat(revocations().minimumRuntime()).as("no other test sets the minimum runtime").isEmpty();
        assertThat(put("/api/v1/releases/minimum-runtime", "{\"version\": \"1.0.0\"}", officer).statusCode()).isEqualTo(200);
        assertThat(revocations().minimumRuntime()).contains(SemanticVersion.parse("1.0.0"));
        assertProblem(put("/api/v1/releases/minimum-runtime", "{\"version\": \"0.9.0\"}", officer), 409, "release-state-conflict");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("runtime-minimum.set"))
                .stream().map(e -> AuditEvents.line(e, "|", "outcome", "detail", "reason")).toList())
                .containsExactly("success|1.0.0|null", "failure|0.9.0|not-raised");
    }

    @Test
    void theRevocationListIsReissuedWhenAnHourOld() throws Exception {
        RevocationList first = revocations();
        assertThat(revocations().sequence()).as("within the hour: the same list").isEqualTo(first.sequence());
        clock.advance(Duration.ofMinutes(61));
        assertThat(revocations().sequence()).isEqualTo(first.sequence() + 1);
        clock.reset();
        assertThat(revocations().sequence()).as("a list stamped ahead of the clock (set back) is re-issued at once")
                .isEqualTo(first.sequence() + 2);
    }

    @Test
    void badInputToThePublicEndpointsIsASpecificProblem() throws Exception {
        String app = newApp();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        long size = checkpoint().size();
        assertProblem(https.get("/api/v1/releases/log/entries?start=0&end=1001"), 400, "validation");
        assertProblem(https.get("/api/v1/releases/log/entries?start=0&end=" + (size + 1)), 400, "release-beyond-log");
        assertProblem(https.get("/api/v1/releases/log/proofs/inclusion?index=5&size=2"), 400, "validation");
        assertProblem(https.get("/api/v1/releases/log/proofs/consistency?from=1&to=" + (size + 1)), 400, "release-beyond-log");
        assertProblem(https.get("/api/v1/releases/NOT_AN_APP/bundle?user=u1"), 400, "validation");
        assertProblem(https.get("/api/v1/releases/com.example.never/bundle?user=u1"), 404, "release-not-found");
        assertProblem(https.get("/api/v1/releases/" + app + "/bundle?user=u1&since=" + (size + 5)), 400, "release-beyond-log");
        assertThat(https.get("/api/v1/releases/log/entries?start=0&end=" + size).statusCode()).isEqualTo(200);
        assertThat(https.get("/api/v1/releases/log/proofs/consistency?from=1&to=" + size).statusCode()).isEqualTo(200);
    }

    @Test
    void theReleaseLogTablesAreAppendOnlyAndEveryNodeServesTheStoredList() throws Exception {
        registry.approve(newApp(), "1.0.0", TestRegistry.someApprover());
        for (String statement : List.of("UPDATE release_log_entries SET entry = entry", "DELETE FROM release_log_nodes",
                "TRUNCATE release_log_checkpoints", "UPDATE release_packages SET version = version", "DELETE FROM release_revocation_lists")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(statement).update()).as(statement)
                    .hasMessageContaining("is append-only");
        }
        String first = https.get("/api/v1/releases/revocations").body();
        assertThat(https.get("/api/v1/releases/revocations").body()).as("the stored list, not one signed per request").isEqualTo(first);
    }

    @Test
    void capsuleReleasesVerifyChecksTheLiveLogFromOutside() throws Exception {
        String app = newApp();
        SignedInOperators.Session admin = operators().signIn("verify-admin", Role.PLATFORM_ADMIN);
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        registry.approve(app, "1.1.0", TestRegistry.someApprover());
        assertThat(post("/api/v1/releases/" + app + "/rollout", "{\"percent\": 30}", admin).statusCode()).isEqualTo(200);
        java.nio.file.Path dir = dev.capsule.testing.server.TestDirectories.create("releases-verify");
        java.nio.file.Path trustFile = java.nio.file.Files.writeString(dir.resolve("platform.trust"),
                https.get("/api/v1/releases/platform-trust").body());
        String url = https.uri("/").toString().replaceAll("/$", "");

        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = dev.capsule.cli.CapsuleCli.run(new String[] {"releases", "verify", "--url", url, "--trust", trustFile.toString(),
                "--state", dir.resolve("monitor-state.json").toString(), "--tls-fingerprint", certificate.fingerprint()},
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertThat(exit).as(out + " / " + err).isZero();
        assertThat(out.toString()).contains("verified");
    }

    @Test
    void managingReleasesNeedsThePermission() {
        SignedInOperators.Session developer = operators().signIn("release-dev", Role.DEVELOPER);
        assertProblem(post("/api/v1/releases/com.example.any/rollout", "{\"percent\": 10}", developer), 403, "forbidden");
        assertProblem(https.get("/api/v1/releases/com.example.any"), 401, "unauthenticated");
    }

    // --- helpers

    private SignedInOperators operators() {
        return new SignedInOperators(context, https);
    }

    private Checkpoint checkpoint() throws Exception {
        HttpResponse<String> response = https.get("/api/v1/releases/log/checkpoint");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Checkpoint.parse(SignedNote.parse(response.body().getBytes(StandardCharsets.UTF_8)).text());
    }

    private PlatformTrust trust() throws Exception {
        return PlatformTrust.parse(https.get("/api/v1/releases/platform-trust").body().getBytes(StandardCharsets.UTF_8));
    }

    private RevocationList revocations() throws Exception {
        HttpResponse<String> response = https.get("/api/v1/releases/revocations");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RevocationOutcome outcome = RevocationList.verify(response.body().getBytes(StandardCharsets.UTF_8), trust(), 0, clock.instant(),
                Duration.ofHours(24), SemanticVersion.parse("99.0.0"));
        assertThat(outcome).as(outcome.toString()).isInstanceOf(RevocationOutcome.Verified.class);
        return ((RevocationOutcome.Verified) outcome).list();
    }

    private ReleaseBundle bundle(String app, String user) throws Exception {
        HttpResponse<String> response = https.get("/api/v1/releases/" + app + "/bundle?user=" + user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ReleaseBundle.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private String servedVersion(String app, String user) throws Exception {
        return bundle(app, user).version();
    }

    private boolean bucketServed(String app, String user, String version) {
        try {
            return servedVersion(app, user).equals(version);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.stream.Stream<String> users() {
        return java.util.stream.IntStream.range(0, 40).mapToObj(i -> "user" + i);
    }

    /** The types of the release log's entries about {@code app}, in log order. */
    private List<String> entryTypes(String app) {
        return jdbc.sql("SELECT convert_from(entry, 'UTF8') FROM release_log_entries ORDER BY idx").query(String.class).list().stream()
                .map(text -> tools.jackson.databind.json.JsonMapper.builder().build().readTree(text))
                .filter(entry -> entry.has("appId") && entry.get("appId").asString().equals(app))
                .map(entry -> entry.get("type").asString()).toList();
    }

    private List<String> audit(String type, String app) {
        return AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals(type) && AuditEvents.text(e, "app").equals(app)).stream()
                .map(e -> AuditEvents.line(e, "|", "outcome", "detail", "reason")).toList();
    }

    private HttpResponse<String> post(String path, String json, SignedInOperators.Session session) {
        return send("POST", path, json, session);
    }

    private HttpResponse<String> put(String path, String json, SignedInOperators.Session session) {
        return send("PUT", path, json, session);
    }

    private HttpResponse<String> send(String method, String path, String json, SignedInOperators.Session session) {
        HttpRequest.Builder request = https.request(path).headers(session.headers());
        if (!json.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return https.send(request.method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).isEqualTo("https://capsule.dev/problems/" + slug);
    }
}
