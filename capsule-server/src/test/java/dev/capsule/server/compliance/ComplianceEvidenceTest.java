package dev.capsule.server.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.cli.CapsuleCli;
import dev.capsule.server.access.Role;
import dev.capsule.server.host.SessionIsolation;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.KeyAges;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/compliance/evidence} against the real server (HTTPS, PostgreSQL): an auditor gets every fact the
 * MASVS report's live section shows, each equal to what the owning module or the database says; a caller without
 * {@code audit.read} is refused and the refusal audited; an anonymous caller is not let in; and {@code capsule report masvs
 * --url} puts these facts into the report's live section over the pinned certificate, and refuses another certificate.
 */
@CapsuleServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceEvidenceTest {
    static final String PATH = "/api/v1/compliance/evidence";

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;
    @Autowired Purges purges;
    @Autowired KeyAges keyAges;
    @Autowired SessionIsolation isolation;

    private RegistryFixture registry;
    private SignedInOperators.Session auditor;

    @BeforeAll
    void signIn() {
        registry = new RegistryFixture(https, context);
        auditor = registry.operators.signIn("evidence-auditor", Role.AUDITOR);
    }

    @Test
    void anAuditorGetsTheTlsOfItsRequestAndTheDatabasesDurabilitySettings() {
        JsonNode evidence = evidence();

        assertThat(evidence.get("format").asString()).isEqualTo("capsule-compliance-evidence/1");
        assertThat(evidence.get("generatedAt").asString()).isNotBlank();
        JsonNode tls = evidence.get("tls");
        assertThat(tls.get("secure").asBoolean()).isTrue();
        assertThat(tls.get("protocol").asString()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(tls.get("cipherSuite").asString()).startsWith("TLS_");
        JsonNode database = evidence.get("database");
        assertThat(database.get("serverVersion").asString()).startsWith("18.");
        // What PostgreSQL itself says, not a constant: the tests' shared database runs without fsync for speed, and the
        // evidence says so (a production server's embedded database has all three on, EmbeddedDatabaseTest).
        assertThat(List.of(database.get("fsync").asString(), database.get("synchronousCommit").asString(),
                database.get("fullPageWrites").asString(), database.get("passwordEncryption").asString()))
                .containsExactly(show("fsync"), show("synchronous_commit"), show("full_page_writes"), show("password_encryption"));
        assertThat(show("password_encryption")).isEqualTo("scram-sha-256");
        assertThat(database.get("connectionTls").asBoolean()).as("a loopback connection to the embedded database").isFalse();
        assertThat(database.get("dataChecksums").asString()).isIn("on", "off");
    }

    @Test
    void theIsolationTierKeysLogsAndPurgesAreTheModulesOwn() {
        JsonNode evidence = evidence();

        assertThat(evidence.get("sessions").get("isolationTier").asString()).isEqualTo(isolation.isolationTier()).isIn("process", "in-process");

        List<String> keys = new ArrayList<>();
        evidence.get("keys").get("keys").forEach(k -> {
            assertThat(k.get("ageDays").asLong()).isGreaterThanOrEqualTo(0);
            keys.add(k.get("purpose").asString() + "/" + k.get("keyId").asString() + "/" + k.get("status").asString());
        });
        assertThat(keys).isNotEmpty().containsExactlyElementsOf(keyAges.keyAges().stream()
                .map(k -> k.purpose() + "/" + k.keyId() + "/" + k.status()).toList());
        assertThat(evidence.get("keys").get("recentRotations").isArray()).isTrue();

        for (String name : List.of("auditLog", "releaseLog")) {
            JsonNode log = evidence.get(name);
            assertThat(log.get("entries").asLong()).as(name).isGreaterThanOrEqualTo(log.get("checkpointSize").asLong());
            if (log.get("checkpointSize").asLong() > 0) {
                assertThat(log.get("signedCheckpoint").asString()).as(name + " is a signed note").contains("\n\n\u2014 ");
            } else {
                assertThat(log.get("signedCheckpoint").isNull()).as(name).isTrue();
            }
        }
        HttpResponse<String> checkpoint = https.get("/api/v1/audit/checkpoint", auditor.headers());
        if (checkpoint.statusCode() == 200) {
            assertThat(evidence.get("auditLog").get("checkpointSize").asLong()).as("a signed audit checkpoint exists").isPositive();
        }

        List<String> retention = new ArrayList<>();
        evidence.get("retention").forEach(r -> {
            assertThat(r.get("deletedSinceStart").asLong()).isGreaterThanOrEqualTo(0);
            retention.add(r.get("purge").asString() + "|" + r.get("table").asString() + "|" + r.get("keptFor").asString());
        });
        assertThat(retention).isNotEmpty().containsExactlyElementsOf(purges.all().stream()
                .map(p -> p.name() + "|" + p.table() + "|" + p.keptFor()).toList());
        assertThat(purges.all()).extracting(Purge::name).isNotEmpty();

        // Residency: one region here, the home one, its database tagged with it.
        JsonNode residency = evidence.get("residency");
        assertThat(residency.get("home").asString()).isEqualTo("local");
        assertThat(residency.get("regions")).singleElement().satisfies(region -> {
            assertThat(region.get("region").asString()).isEqualTo("local");
            assertThat(region.get("tag").asString()).isEqualTo("local");
            assertThat(region.get("location").asString()).startsWith("PostgreSQL at localhost:").doesNotContain("password");
            assertThat(region.get("taggedAt").asString()).isNotBlank();
        });
    }

    @Test
    void aCallerWithoutAuditReadIsRefusedAndTheRefusalAuditedAndNobodyAnonymous() {
        SignedInOperators.Session support = registry.operators.signIn("evidence-support", Role.SUPPORT);

        HttpResponse<String> refused = https.get(PATH, support.headers());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(TestHttps.json(refused).get("type").asString()).isEqualTo("https://capsule.dev/problems/forbidden");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                && AuditEvents.text(e, "actor").equals(support.operatorId().toString())))
                .extracting(e -> AuditEvents.line(e, "|", "reason", "action", "permission"))
                .containsExactly("forbidden|GET " + PATH + "|audit.read");
        assertThat(https.get(PATH).statusCode()).as("anonymous").isEqualTo(401);
        assertThat(https.get(PATH, auditor.headers()).statusCode()).as("the auditor's is allowed").isEqualTo(200);
    }

    @Test
    void capsuleReportMasvsWritesTheLiveSectionFromThisEndpointWithAnApiKeyAndAPinnedCertificate(@TempDir Path dir) throws IOException {
        HttpResponse<String> created = registry.post("/api/v1/api-keys", "{\"name\": \"masvs report\", \"permissions\": [\"audit.read\"], "
                + "\"expiresInDays\": 1}", registry.admin.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = TestHttps.json(created);
        HttpResponse<String> approved = registry.post("/api/v1/api-keys/" + key.get("key").get("keyId").asString() + "/approve", "",
                registry.officer.headers());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        Path keyFile = Files.writeString(dir.resolve("api-key"), key.get("token").asString());
        Path results = Files.createDirectories(dir.resolve("surefire-reports"));
        Path out = dir.resolve("report");
        String url = https.uri("/").toString().replaceAll("/$", "");

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int exit = CapsuleCli.run(new String[] {"report", "masvs", "--url", url, "--api-key-file", keyFile.toString(),
                "--tls-fingerprint", context.getBean(ServerCertificate.class).fingerprint(), "--results", results.toString(),
                "--out", out.toString()}, new PrintWriter(stdout, true), new PrintWriter(stderr, true));

        assertThat(exit).as(stderr.toString()).isZero();
        Document page = Jsoup.parse(Files.readString(out.resolve("masvs.html")));
        assertThat(page.text()).contains("From " + url + " (GET /api/v1/compliance/evidence)");
        assertThat(page.select("td").eachText()).contains("tls.secure", "true", "database.fsync", "sessions.isolationTier",
                isolation.isolationTier(), "auditLog.entries");
        assertThat(stdout.toString() + stderr).doesNotContain(key.get("token").asString());

        StringWriter refusedErr = new StringWriter();
        int refused = CapsuleCli.run(new String[] {"report", "masvs", "--url", url, "--api-key-file", keyFile.toString(),
                "--tls-fingerprint", "00".repeat(32), "--results", results.toString(), "--out", dir.resolve("other").toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(refusedErr, true));
        assertThat(refused).isEqualTo(1);
        assertThat(refusedErr.toString().strip()).startsWith("capsule report masvs: cannot fetch the live evidence from " + url + ": TLS failed");
    }

    private String show(String setting) {
        return jdbc.sql("SELECT current_setting(:name)").param("name", setting).query(String.class).single();
    }

    private JsonNode evidence() {
        HttpResponse<String> response = https.get(PATH, auditor.headers());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttps.json(response);
    }
}
