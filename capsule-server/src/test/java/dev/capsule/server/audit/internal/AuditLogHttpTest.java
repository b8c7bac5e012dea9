package dev.capsule.server.audit.internal;

import dev.capsule.server.access.OperatorId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.log.NoteKey;
import dev.capsule.core.log.NoteVerification;
import dev.capsule.core.log.SignedNote;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.LogOrigins;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The audit API over real HTTPS on a real PostgreSQL: entries, signed checkpoints, proofs, errors, personal details. */
@CapsuleServerTest
class AuditLogHttpTest {
    static final String[] AUDITOR = {TestAuthentication.USER_HEADER, "ann-auditor", TestAuthentication.ROLES_HEADER, "AUDITOR"};

    @Autowired TestHttps https;
    @Autowired ApplicationEventPublisher trail;
    @Autowired JdbcClient jdbc;
    @Autowired SubjectKeys subjectKeys;
    @Autowired Pseudonyms pseudonyms;
    @Autowired AuditSink runtimeSink;
    @Autowired ApplicationEventPublisher publisher;
    @Autowired LogOrigins origins;
    @Autowired PlatformSigner signer;

    @Test
    void entriesAppearInOrderWithInclusionProofsAgainstASignedCheckpoint() throws Exception {
        String marker = "order-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            trail.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, marker + "-" + i, null));
        }
        AuditApi.Published checkpoint = api().publish();
        assertThat(checkpoint.note()).startsWith(origins.audit().name() + "\n" + checkpoint.size() + "\n");
        assertSignedByThePlatform(checkpoint.note());

        List<AuditApi.Entry> entries = api().allEntries(checkpoint.size());
        assertThat(entries).extracting(AuditApi.Entry::index).containsExactlyElementsOf(range(checkpoint.size()));
        List<AuditApi.Entry> ours = entries.stream().filter(e -> e.json().path("reason").asString("").startsWith(marker)).toList();
        assertThat(ours).extracting(e -> e.json().get("reason").asString())
                .containsExactly(marker + "-0", marker + "-1", marker + "-2", marker + "-3", marker + "-4");
        assertThat(ours.get(0).json().get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        for (AuditApi.Entry entry : entries) {
            assertThat(entry.leafHash()).as("leaf hash of entry %d", entry.index()).isEqualTo(MerkleHash.leafHash(entry.bytes()));
            assertThat(entry.json().get("index").asLong()).isEqualTo(entry.index());
        }
        assertThat(AuditApi.root(entries)).isEqualTo(checkpoint.root());

        for (AuditApi.Entry entry : ours) {
            List<byte[]> byIndex = api().inclusion("index=" + entry.index(), checkpoint.size());
            List<byte[]> byLeaf = api().inclusion("leafHash=" + Base64.getUrlEncoder().encodeToString(entry.leafHash()), checkpoint.size());
            assertThat(byLeaf).usingRecursiveComparison().isEqualTo(byIndex);
            assertThat(MerkleProofs.verifyInclusion(entry.index(), checkpoint.size(), entry.leafHash(), byIndex, checkpoint.root())).isTrue();
            List<byte[]> altered = new ArrayList<>(byIndex);
            if (!altered.isEmpty()) {
                byte[] first = altered.getFirst().clone();
                first[0] ^= 1;
                altered.set(0, first);
                assertThat(MerkleProofs.verifyInclusion(entry.index(), checkpoint.size(), entry.leafHash(), altered, checkpoint.root())).isFalse();
            }
        }
        assertThat(api().text("/api/v1/audit/checkpoint")).isEqualTo(checkpoint.note());
    }

    @Test
    void consistencyProofsLinkSuccessiveCheckpoints() {
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        AuditApi.Published first = api().publish();
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        AuditApi.Published second = api().publish();
        assertThat(second.size()).isGreaterThanOrEqualTo(first.size() + 2);

        List<byte[]> proof = api().consistency(first.size(), second.size());
        assertThat(MerkleProofs.verifyConsistency(first.size(), second.size(), proof, first.root(), second.root())).isTrue();
        assertThat(MerkleProofs.verifyConsistency(first.size(), second.size(), proof, second.root(), first.root())).isFalse();

        JsonNode listed = TestHttps.json(https.get("/api/v1/audit/checkpoints?fromSize=" + first.size() + "&limit=1000", AUDITOR));
        List<Long> sizes = new ArrayList<>();
        listed.get("checkpoints").forEach(c -> sizes.add(c.get("size").asLong()));
        assertThat(sizes).contains(first.size(), second.size()).isSorted().allMatch(size -> size >= first.size());
        assertThat(api().publish().size()).as("an unchanged log republishes nothing new").isEqualTo(api().publish().size());
    }

    @Test
    void badRequestsAreSpecificProblems() {
        long size = api().publish().size();
        api().assertProblem("/api/v1/audit/entries?start=0&end=" + (size + 1), 400, "audit-beyond-log");
        api().assertProblem("/api/v1/audit/entries?start=3&end=3", 400, "validation");
        api().assertProblem("/api/v1/audit/entries?start=0&end=1001", 400, "validation");
        api().assertProblem("/api/v1/audit/entries?start=x&end=1", 400, null);
        api().assertProblem("/api/v1/audit/proofs/inclusion?index=0&size=" + (size + 1), 400, "audit-beyond-log");
        api().assertProblem("/api/v1/audit/proofs/inclusion?index=" + size + "&size=" + size, 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/inclusion?index=0&leafHash=AAAA&size=1", 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/inclusion?leafHash=not*base64&size=1", 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/inclusion?leafHash=AAAA&size=1", 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/inclusion?leafHash=" + Base64.getEncoder().encodeToString(new byte[32]) + "&size=1",
                404, "audit-leaf-not-found");
        api().assertProblem("/api/v1/audit/proofs/consistency?from=0&to=1", 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/consistency?from=2&to=1", 400, "validation");
        api().assertProblem("/api/v1/audit/proofs/consistency?from=1&to=" + (size + 1), 400, "audit-beyond-log");
        api().assertProblem("/api/v1/audit/checkpoints?limit=0", 400, "validation");
        api().assertProblem("/api/v1/audit/checkpoints?limit=1001", 400, "validation");
    }

    @Test
    void readingTheLogNeedsAuditRead() {
        assertThat(https.get("/api/v1/audit/checkpoint").statusCode()).isEqualTo(401);
        HttpResponse<String> developer = https.get("/api/v1/audit/entries?start=0&end=1",
                TestAuthentication.USER_HEADER, "dan-developer", TestAuthentication.ROLES_HEADER, "DEVELOPER");
        assertThat(developer.statusCode()).isEqualTo(403);
        assertThat(developer.body()).contains("audit.read");
    }

    @Test
    void clientAddressIsSealedAndErasureLeavesTheLogVerifiable() {
        UUID person = UUID.randomUUID();
        String address = "198.51.100.23";
        trail.publishEvent(SecurityEvent.failure(AuditEventType.SIGN_IN_PASSWORD, OperatorId.of(person), OperatorId.of(person), "wrong-password", address));
        AuditApi.Published before = api().publish();
        AuditApi.Entry entry = api().allEntries(before.size()).stream()
                .filter(e -> e.json().path("subject").asString("").equals(person.toString())).findFirst().orElseThrow();
        assertThat(new String(entry.bytes(), StandardCharsets.UTF_8)).doesNotContain(address);
        assertThat(entry.json().get("address").asString()).isEqualTo(pseudonyms.tag(address));
        JsonNode sealed = entry.json().get("sealed");
        // Sealed under the person's key of the month (V117), recorded with the entry.
        UUID key = UUID.fromString(sealed.get("subject").asString());
        assertThat(PersonalDetails.person(key, Instant.parse(entry.json().get("time").asString()), List.of(person))).contains(person);
        assertThat(jdbc.sql("SELECT operator_id FROM audit_detail_keys WHERE detail_key = :k").param("k", key).query(UUID.class).single())
                .isEqualTo(person);
        byte[] ciphertext = Base64.getDecoder().decode(sealed.get("data").asString());
        var place = PersonalDetails.place(UUID.fromString(entry.json().get("event").asString()));
        assertThat(new String(subjectKeys.open(key, ciphertext, place).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"address\":\"" + address + "\"}");
        assertThat(rawLogText()).doesNotContain(address);

        subjectKeys.erase(key);
        assertThat(subjectKeys.open(key, ciphertext, place)).isEmpty();
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        AuditApi.Published after = api().publish();
        List<AuditApi.Entry> entries = api().allEntries(after.size());
        assertThat(entries.get((int) entry.index()).bytes()).isEqualTo(entry.bytes());
        assertThat(AuditApi.root(entries)).isEqualTo(after.root());
        assertThat(MerkleProofs.verifyConsistency(before.size(), after.size(), api().consistency(before.size(), after.size()),
                before.root(), after.root())).isTrue();
    }

    @Test
    void runtimeAndKeyEventsJoinTheLogWithoutUserIds() {
        String user = "user-" + UUID.randomUUID();
        runtimeSink.record(new AuditEvent(Instant.now(), "com.example.shop", user, "wx.getLocation", "read", "scope.userLocation"));
        UUID actor = UUID.randomUUID();
        String keyId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        publisher.publishEvent(KeyEvent.of(KeyEvent.Kind.ROTATE, "audit-checkpoint", keyId, OperatorId.of(actor)));
        AuditApi.Published checkpoint = api().publish();
        List<AuditApi.Entry> entries = api().allEntries(checkpoint.size());
        JsonNode runtime = entries.stream().map(AuditApi.Entry::json)
                .filter(e -> e.path("user").asString("").equals(pseudonyms.tag(user))).findFirst().orElseThrow();
        assertThat(runtime.get("type").asString()).isEqualTo("runtime.call");
        assertThat(runtime.get("app").asString()).isEqualTo("com.example.shop");
        assertThat(runtime.get("action").asString()).isEqualTo("wx.getLocation");
        assertThat(runtime.get("outcome").asString()).isEqualTo("read");
        assertThat(rawLogText()).doesNotContain(user);
        JsonNode key = entries.stream().map(AuditApi.Entry::json)
                .filter(e -> e.path("key").asString("").equals(keyId)).findFirst().orElseThrow();
        assertThat(key.get("type").asString()).isEqualTo("key.rotate");
        assertThat(key.get("purpose").asString()).isEqualTo("audit-checkpoint");
        assertThat(key.get("actor").asString()).isEqualTo(actor.toString());
    }

    @Test
    void storedRowsRefuseUpdatesAndDeletes() {
        trail.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_ENABLE, null, null, null));
        api().publish();
        for (String statement : List.of("UPDATE audit_entries SET entry = entry", "DELETE FROM audit_entries",
                "TRUNCATE audit_entries", "UPDATE audit_nodes SET hash = hash", "DELETE FROM audit_nodes",
                "TRUNCATE audit_nodes CASCADE", "UPDATE audit_checkpoints SET note = note", "DELETE FROM audit_checkpoints",
                "TRUNCATE audit_checkpoints", "UPDATE audit_pending SET fields = fields", "TRUNCATE audit_pending")) {
            assertThatThrownBy(() -> jdbc.sql(statement).update()).as(statement).hasMessageContaining("append-only");
        }
    }

    /** The note is signed by the platform's audit-checkpoint key under the origin's name, and only that key. */
    private void assertSignedByThePlatform(String note) throws Exception {
        var key = signer.primary(SigningPurpose.AUDIT_CHECKPOINT).key();
        SignedNote parsed = SignedNote.parse(note.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.signatures()).hasSize(1);
        assertThat(parsed.verify(List.of(new NoteKey(origins.audit().name(), key)))).isInstanceOf(NoteVerification.Verified.class);
        assertThat(parsed.verify(List.of(new NoteKey("another.example/log", key)))).isInstanceOf(NoteVerification.NoTrustedSignature.class);
        SignedNote altered = new SignedNote(parsed.text().replaceFirst("\n\\d+\n", "\n1\n"), parsed.signatures());
        assertThat(altered.verify(List.of(new NoteKey(origins.audit().name(), key)))).isInstanceOf(NoteVerification.BadSignature.class);
    }

    private String rawLogText() {
        return jdbc.sql("""
                SELECT coalesce(string_agg(convert_from(entry, 'UTF8'), ' '), '') FROM audit_entries""").query(String.class).single()
                + jdbc.sql("SELECT coalesce(string_agg(fields, ' '), '') FROM audit_pending").query(String.class).single();
    }

    private AuditApi api() {
        return new AuditApi(https, AUDITOR);
    }

    private static List<Long> range(long size) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            out.add(i);
        }
        return out;
    }

    static HttpRequest.Builder post(TestHttps https, String path, String... headers) {
        return https.request(path).headers(headers).POST(HttpRequest.BodyPublishers.noBody());
    }
}
