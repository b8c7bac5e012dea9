package dev.capsule.server.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.host.internal.JdbcConsentLedger;
import dev.capsule.server.host.internal.PairwiseIds;
import dev.capsule.server.host.internal.ShellSignIn;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.server.privacy.IdentityAssertion;
import dev.capsule.server.privacy.PrivacyExport;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequests;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.TableRewrites;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.DatabaseFiles;
import dev.capsule.testing.server.TestMiniPrograms;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The issue's proof of data-subject requests, on a real server and database: two people, each with storage and
 * consent decisions in two mini-programs and a shell sign-in; one person's export holds exactly their data, field by
 * field, and nothing of the other's; after their erasure the other's data is untouched, a scan of the database's raw
 * files finds none of the erased person's plaintext or data-subject keys, the audit log still verifies and anchors
 * the erasure certificate, and a new export says "erased".
 */
@CapsuleServerTest
class DataSubjectRequestTest {
    @Autowired PrivacyRequests requests;
    @Autowired RequestService service;
    @Autowired TableRewrites rewrites;
    @Autowired EncryptedStorage storage;
    @Autowired JdbcConsentLedger consent;
    @Autowired PairwiseIds pairwise;
    @Autowired ShellSignIn signIn;
    @Autowired JdbcClient jdbc;
    @Autowired TestHttps https;
    @Autowired JsonMapper json;
    @Autowired Residency residency;

    String run;
    MiniProgramId appX;
    MiniProgramId appY;
    ShellUserId alice;
    ShellUserId bob;
    String aliceCookie;
    String bobCookie;

    @BeforeEach
    void twoPeopleInTwoMiniPrograms() throws Exception {
        run = Long.toString(System.nanoTime(), 36);
        appX = TestMiniPrograms.register(jdbc, "com.example.dsrx" + run);
        appY = TestMiniPrograms.register(jdbc, "com.example.dsry" + run);
        alice = new ShellUserId("alice-" + run);
        bob = new ShellUserId("bob-" + run);
        for (ShellUserId user : List.of(alice, bob)) {
            for (MiniProgramId app : List.of(appX, appY)) {
                String id = pairwise.runtimeUserId(app, user);
                storage.open(app.value(), id).set("note", "\"" + plaintext(user, app) + "\"");
                consent.record(app.value(), id, new ConsentLedger.Topic("scope.userLocation", "purpose-" + app.value(), digest()), true);
            }
        }
        aliceCookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", alice, Optional.empty(), 60).token()).orElseThrow().cookieToken();
        bobCookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", bob, Optional.empty(), 60).token()).orElseThrow().cookieToken();
    }

    @Test
    void anExportHoldsExactlyThePersonsOwnDataFieldByField() {
        PrivacyRequest request = requests.file(subject(alice), PrivacyRequest.RequestKind.EXPORT, assertion());
        assertThat(request.state()).isEqualTo(PrivacyRequest.RequestState.DONE);
        PrivacyExport export = requests.export(request.id(), subject(alice)).orElseThrow();

        HeldData shell = section(export, "host.shell");
        assertThat(records(shell, "storage")).containsExactlyInAnyOrder(
                Map.of("kind", "storage", "app", appX.value(), "key", "note", "value", "\"" + plaintext(alice, appX) + "\""),
                Map.of("kind", "storage", "app", appY.value(), "key", "note", "value", "\"" + plaintext(alice, appY) + "\""));
        assertThat(records(shell, "consent")).extracting(r -> r.get("app") + " " + r.get("scope") + " " + r.get("decision") + " " + r.get("purpose"))
                .containsExactlyInAnyOrder(appX.value() + " scope.userLocation granted purpose-" + appX.value(),
                        appY.value() + " scope.userLocation granted purpose-" + appY.value());
        assertThat(records(shell, "session-grant")).singleElement().satisfies(r -> assertThat(r.get("issuedBy")).isEqualTo("apikey:0123456789abcdef"));
        assertThat(records(shell, "shell-session")).hasSize(1);
        assertThat(records(section(export, "privacy.requests"), "privacy-request")).singleElement()
                .satisfies(r -> assertThat(r.get("request")).isEqualTo(request.id().toString()));

        assertThat(export.residency()).as("where her data lives: the home region").hasValueSatisfying(r -> {
            assertThat(r.region()).isEqualTo(residency.home());
            assertThat(r.home()).isEqualTo(residency.home());
            assertThat(r.location()).isEqualTo(residency.database(residency.home()).location());
        });
        String text = new String(export.json(), StandardCharsets.UTF_8);
        assertThat(text).as("the JSON names the format").contains("\"format\":\"capsule-privacy-export/1\"")
                .doesNotContain(bob.value()).doesNotContain(plaintext(bob, appX)).doesNotContain(plaintext(bob, appY))
                .doesNotContain(aliceCookie);
        assertThat(requests.export(request.id(), subject(bob))).as("another person cannot open it").isEmpty();
        assertThat(https.get("/shell/privacy/requests/" + request.id() + "/export.json", "Cookie", ShellHttp.COOKIE + "=" + bobCookie).statusCode())
                .as("nor download it in the shell").isEqualTo(404);
        HttpResponse<String> download = https.get("/shell/privacy/requests/" + request.id() + "/export.json", "Cookie", ShellHttp.COOKIE + "=" + aliceCookie);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
        assertThat(download.body()).isEqualTo(text);
        assertThat(https.get("/shell/privacy/requests/" + request.id() + "/export", "Cookie", ShellHttp.COOKIE + "=" + aliceCookie).body())
                .as("the page says where her data lives").contains("Your data is stored in region " + residency.home() + " (");
    }

    @Test
    void erasureLeavesNothingOfThePersonInTheDatabaseFilesKeepsTheOtherAndTheAuditLogVerifies() throws Exception {
        List<byte[]> aliceKeys = wrappedKeysOf(alice);
        assertThat(aliceKeys).as("alice's storage areas each have a data-subject key").hasSize(2);
        jdbc.sql("CHECKPOINT").update();
        Path database = DatabaseFiles.directory(jdbc);
        assertThat(DatabaseFiles.holding(database, alice.value().getBytes(StandardCharsets.UTF_8)))
                .as("the scan finds alice's id while her sign-in exists").isNotEmpty();

        PrivacyRequest erasure = requests.file(subject(alice), PrivacyRequest.RequestKind.ERASURE, assertion());

        assertThat(erasure.state()).isEqualTo(PrivacyRequest.RequestState.DONE);
        assertThat(signIn.session(aliceCookie)).as("alice is signed out").isEmpty();
        assertThat(signIn.session(bobCookie)).as("bob is not").isPresent();
        assertThat(storage.open(appX.value(), pairwise.runtimeUserId(appX, bob)).get("note")).hasValue("\"" + plaintext(bob, appX) + "\"");
        assertThat(consent.current(appY.value(), pairwise.runtimeUserId(appY, bob), "scope.userLocation")).isPresent();
        assertThat(consent.current(appY.value(), pairwise.runtimeUserId(appY, alice), "scope.userLocation")).isEmpty();
        assertThat(storage.open(appX.value(), pairwise.runtimeUserId(appX, alice)).info().keys()).as("a fresh, empty area").isEmpty();

        String certificate = service.certificate(erasure.id()).orElseThrow();
        JsonNode parsed = json.readTree(certificate);
        assertThat(parsed.path("format").asString()).isEqualTo("capsule-erasure-certificate/1");
        assertThat(parsed.path("region").asString()).isEqualTo(residency.home().value());
        assertThat(parsed.path("holders").path("host.shell").path("deleted").path("host_consent_events").asLong()).isEqualTo(2);
        assertThat(parsed.path("holders").path("host.shell").path("deleted").path("host_shell_sessions").asLong()).isEqualTo(1);
        assertThat(parsed.path("subjectKeys").size()).as("two areas and the privacy module's own key").isEqualTo(3);

        rewrites.runNow();
        jdbc.sql("CHECKPOINT").update();
        assertThat(DatabaseFiles.holding(database, alice.value().getBytes(StandardCharsets.UTF_8))).as("files holding alice's id").isEmpty();
        for (byte[] wrapped : aliceKeys) {
            assertThat(DatabaseFiles.holding(database, wrapped)).as("files holding one of alice's data-subject keys").isEmpty();
        }
        for (MiniProgramId app : List.of(appX, appY)) {
            assertThat(DatabaseFiles.holding(database, plaintext(alice, app).getBytes(StandardCharsets.UTF_8))).as("files holding her storage").isEmpty();
        }

        String[] auditor = {TestAuthentication.USER_HEADER, "dsr-auditor", TestAuthentication.ROLES_HEADER, "AUDITOR"};
        assertThat(https.send(https.request("/api/v1/audit/checkpoints").headers(auditor).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(201);
        JsonNode verification = TestHttps.json(https.send(https.request("/api/v1/audit/verifications").headers(auditor)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
        String digest = dev.capsule.core.crypto.Sha256.of(certificate.getBytes(StandardCharsets.UTF_8)).hex();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_entries WHERE position(:d IN convert_from(entry, 'UTF8')) > 0")
                .param("d", digest).query(Long.class).single()).as("the log anchors the certificate").isEqualTo(1);

        PrivacyRequest after = requests.file(subject(alice), PrivacyRequest.RequestKind.EXPORT, assertion());
        PrivacyExport export = requests.export(after.id(), subject(alice)).orElseThrow();
        assertThat(export.erasedAt()).as("the export says erased").isPresent();
        assertThat(records(section(export, "host.shell"), "storage")).isEmpty();
        assertThat(records(section(export, "host.shell"), "consent")).isEmpty();
    }

    @Test
    void aRequestAnOperatorFiledWaitsForThePersonAndOnlyThePersonCanConfirmIt() {
        RegionalRequest located = service.fileFor(dev.capsule.server.access.OperatorId.of(UUID.randomUUID()), subject(alice),
                PrivacyRequest.RequestKind.EXPORT);
        assertThat(located.region()).as("a person of the home region").isEqualTo(residency.home());
        PrivacyRequest filed = located.request();
        assertThat(filed.state()).isEqualTo(PrivacyRequest.RequestState.RECEIVED);
        assertThat(filed.dueAt()).isEqualTo(filed.receivedAt().plus(PrivacyRequest.DEADLINE));
        assertThat(requests.of(subject(alice))).extracting(PrivacyRequest::id).contains(filed.id());
        assertThat(requests.of(subject(bob))).extracting(PrivacyRequest::id).doesNotContain(filed.id());

        assertThat(requests.confirm(filed.id(), subject(bob), assertion())).as("bob cannot confirm alice's request").isEmpty();
        assertThat(service.find(filed.id()).orElseThrow().request().state()).isEqualTo(PrivacyRequest.RequestState.RECEIVED);

        PrivacyRequest confirmed = requests.confirm(filed.id(), subject(alice), assertion()).orElseThrow();
        assertThat(confirmed.state()).isEqualTo(PrivacyRequest.RequestState.DONE);
        assertThat(confirmed.verifiedBy()).hasValue(IdentityAssertion.Source.SESSION_GRANT);
        assertThat(requests.confirm(filed.id(), subject(alice), assertion())).as("a done request is not run again").isEmpty();
    }

    private List<byte[]> wrappedKeysOf(ShellUserId user) {
        List<byte[]> keys = new ArrayList<>();
        for (MiniProgramId app : List.of(appX, appY)) {
            UUID subject = UUID.nameUUIDFromBytes(("capsule.host.storage/2\n" + app.value() + "\n" + pairwise.runtimeUserId(app, user))
                    .getBytes(StandardCharsets.UTF_8));
            keys.addAll(jdbc.sql("SELECT wrapped FROM keys_subject_keys WHERE subject = :s").param("s", subject).query(byte[].class).list());
        }
        return keys;
    }

    private String plaintext(ShellUserId user, MiniProgramId app) {
        return "plain-" + user.value() + "-" + app.value();
    }

    private static DataSubject subject(ShellUserId user) {
        return new DataSubject(user.value());
    }

    private static IdentityAssertion assertion() {
        return new IdentityAssertion(IdentityAssertion.Source.SESSION_GRANT, Instant.now());
    }

    private static PrivacyDigest digest() {
        return PrivacyDigest.of(List.<CapsuleManifest.PrivacyDeclaration>of());
    }

    private static HeldData section(PrivacyExport export, String holder) {
        return export.sections().stream().filter(s -> s.holder().equals(holder)).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> records(HeldData section, String kind) {
        return section.records().stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }
}
