package dev.capsule.server.registry;

import static dev.capsule.server.registry.RegistryFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.Role;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/packages} over real HTTPS into real PostgreSQL: the upload that passes every rule is
 * stored with its automated review, and each rule refuses its own bad upload with the problem type naming it,
 * storing nothing and auditing the refusal.
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class PackageUploadApiTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    RegistryFixture registry;
    RegistryFixture.Developer developer;

    @BeforeEach
    void setUp() {
        TestAdvisories.imported(context);
        registry = new RegistryFixture(https, context);
        developer = registry.developer();
    }

    @Test
    void aDeveloperSignedUploadIsStoredInReviewWithItsFindingsAndSbom() {
        byte[] pkg = RegistryFixture.signed(developer, "1.0.0");
        HttpResponse<String> response = registry.upload(pkg, developer.bearer());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode version = TestHttps.json(response);
        assertThat(version.get("app").asString()).isEqualTo(developer.appId());
        assertThat(version.get("version").asString()).isEqualTo("1.0.0");
        assertThat(version.get("state").asString()).isEqualTo("in-review");
        assertThat(version.get("developerKeyId").asString()).isEqualTo(developer.keyId());
        assertThat(version.get("organisation").asString()).isEqualTo(developer.organisationId());
        String id = version.get("id").asString();
        byte[] stored = jdbc.sql("SELECT package FROM registry_version WHERE version_id = ?::uuid").param(id)
                .query((row, n) -> row.getBytes(1)).single();
        assertThat(stored).as("the package is kept exactly as uploaded").isEqualTo(pkg);

        HttpResponse<String> findings = https.get("/api/v1/packages/" + id + "/findings", developer.bearer());
        assertThat(findings.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(findings).get("format").asString()).isEqualTo("capsule-review/1");
        HttpResponse<String> html = https.get("/api/v1/packages/" + id + "/findings.html", developer.bearer());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("Review of " + developer.appId() + " 1.0.0").doesNotContain("<script");
        HttpResponse<String> sbom = https.get("/api/v1/packages/" + id + "/sbom", developer.bearer());
        assertThat(sbom.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(sbom).get("bomFormat").asString()).isEqualTo("CycloneDX");

        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.submit")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "apiKey"))
                .containsExactly("success " + developer.token().split("_")[1]);
    }

    @Test
    void garbageIsRefusedAsPackageInvalidNamingCoresReason() {
        HttpResponse<String> response = registry.upload("not a zip".getBytes(), developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_INVALID);
        assertThat(TestHttps.json(response).get("reason").asString()).isEqualTo("corrupt-archive");
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void anUnsignedPackageIsRefused() {
        HttpResponse<String> response = registry.upload(RegistryFixture.unsigned(developer.appId(), "1.0.0", Map.of()),
                developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertThat(TestHttps.json(response).get("reason").asString()).isEqualTo("unsigned");
        assertNothingStoredFor(developer.appId());
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("package.submit")
                && AuditEvents.text(e, "app").equals(developer.appId())))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "reason"))
                .containsExactly("failure package-not-developer-signed");
    }

    @Test
    void aPackageSignedByAKeyTheOrganisationDidNotRegisterIsRefused() {
        byte[] pkg = RegistryFixture.signed(SigningKey.generate(), developer.appId(), "1.0.0", Map.of());
        HttpResponse<String> response = registry.upload(pkg, developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertThat(TestHttps.json(response).get("reason").asString()).isEqualTo("untrusted");
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void aRevokedKeysPackagesCanNoLongerBeSubmitted() {
        byte[] pkg = RegistryFixture.signed(developer, "1.0.0");
        HttpResponse<String> revoked = registry.post("/api/v1/organisations/" + developer.organisationId() + "/keys/"
                + developer.keyId() + "/revoke", "", registry.admin.headers());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        HttpResponse<String> response = registry.upload(pkg, developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertNothingStoredFor(developer.appId());
        assertProblem(registry.post("/api/v1/organisations/" + developer.organisationId() + "/keys/" + developer.keyId()
                + "/revoke", "", registry.admin.headers()), 409, RegistryProblems.DEVELOPER_KEY_REVOKED);
    }

    @Test
    void aPackageCarryingAnySignatureBesidesTheOrganisationsIsRefused() {
        byte[] pkg = RegistryFixture.sign(RegistryFixture.signed(developer, "1.0.0"), SigningKey.generate(), Role.PLATFORM);
        HttpResponse<String> response = registry.upload(pkg, developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertThat(TestHttps.json(response).get("reason").asString()).isEqualTo("foreign-signature");
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void anotherOrganisationsKeyCannotSignThisAppId() {
        RegistryFixture.Developer other = registry.developer();
        byte[] pkg = RegistryFixture.signed(other.key(), developer.appId(), "1.0.0", Map.of());
        HttpResponse<String> response = registry.upload(pkg, developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED);
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void anApiKeySubmitsOnlyForItsOwnOrganisationsMiniPrograms() {
        RegistryFixture.Developer other = registry.developer();
        HttpResponse<String> response = registry.upload(RegistryFixture.signed(other, "1.0.0"), developer.bearer());
        assertProblem(response, 403, RegistryProblems.MINI_PROGRAM_NOT_YOURS);
        assertNothingStoredFor(other.appId());
    }

    @Test
    void anApiKeyBoundToNoOrganisationSubmitsNothing() {
        HttpResponse<String> created = registry.post("/api/v1/api-keys", "{\"name\": \"unbound\", \"permissions\": "
                + "[\"packages.submit\"], \"expiresInDays\": 30}", registry.admin.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String keyId = TestHttps.json(created).get("key").get("keyId").asString();
        assertThat(registry.post("/api/v1/api-keys/" + keyId + "/approve", "", registry.officer.headers()).statusCode()).isEqualTo(200);
        HttpResponse<String> response = registry.upload(RegistryFixture.signed(developer, "1.0.0"),
                "Authorization", "Bearer " + TestHttps.json(created).get("token").asString());
        assertProblem(response, 403, ProblemType.FORBIDDEN);
        assertThat(TestHttps.json(response).get("detail").asString()).contains("not bound to a developer organisation");
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void anUploadIsTheOctetStreamOfTheFile() {
        HttpResponse<String> json = https.send(https.request("/api/v1/packages").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + developer.token())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RegistryFixture.signed(developer, "1.0.0"))).build());
        assertProblem(json, 415, ProblemType.UNSUPPORTED_MEDIA_TYPE);
        assertNothingStoredFor(developer.appId());
    }

    @Test
    void anUnregisteredMiniProgramIdIsRefused() {
        byte[] pkg = RegistryFixture.signed(developer.key(), "com.unregistered.todo", "1.0.0", Map.of());
        assertProblem(registry.upload(pkg, developer.bearer()), 403, RegistryProblems.MINI_PROGRAM_NOT_YOURS);
        assertNothingStoredFor("com.unregistered.todo");
    }

    @Test
    void anUnverifiedOrganisationCannotSubmit() {
        String organisation = registry.organisation("Unverified Ltd", false);
        String appId = "com.unverified" + System.nanoTime() + ".todo";
        registry.addApp(organisation, appId);
        SigningKey key = SigningKey.generate();
        registry.addKey(organisation, key);
        String token = registry.apiKey(organisation);
        HttpResponse<String> response = registry.upload(RegistryFixture.signed(key, appId, "1.0.0", Map.of()),
                "Authorization", "Bearer " + token);
        assertProblem(response, 403, RegistryProblems.ORGANISATION_NOT_VERIFIED);
        assertNothingStoredFor(appId);
    }

    @Test
    void versionsAreImmutableAndStrictlyIncreasingAndOneIsInReviewAtATime() {
        String first = registry.submitted(developer, RegistryFixture.signed(developer, "1.1.0"));
        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.2.0"), developer.bearer()), 409,
                RegistryProblems.REVIEW_IN_PROGRESS);

        HttpResponse<String> rejected = registry.post("/api/v1/packages/" + first + "/reject",
                "{\"reason\": \"not yet\"}", registry.officer.headers());
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);

        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.1.0"), developer.bearer()), 409,
                RegistryProblems.VERSION_EXISTS);
        HttpResponse<String> lower = registry.upload(RegistryFixture.signed(developer, "1.0.9"), developer.bearer());
        assertProblem(lower, 409, RegistryProblems.VERSION_NOT_INCREASING);
        assertThat(TestHttps.json(lower).get("highest").asString()).isEqualTo("1.1.0");
        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.1.0-rc.1"), developer.bearer()), 409,
                RegistryProblems.VERSION_NOT_INCREASING);
        assertThat(count(developer.appId())).isEqualTo(1);

        registry.submitted(developer, RegistryFixture.signed(developer, "1.1.1"));
        assertThat(count(developer.appId())).isEqualTo(2);
    }

    @Test
    void theUploadBodyLimitIsTwentyMebibytesOnThisPathOnly() throws Exception {
        // Declared over the limit: answered 413 before any byte is read (a raw request: the HTTP client
        // would start sending 20 MiB that Tomcat then refuses to swallow).
        assertThat(rawStatusLine("POST /api/v1/packages", 20L * 1024 * 1024 + 1)).startsWith("HTTP/1.1 413");
        assertThat(rawStatusLine("POST /api/v1/organisations", 1024 * 1024 + 1)).startsWith("HTTP/1.1 413");
        // 3 MiB, over the 1 MiB default body limit: on this path it reaches the package reader, which
        // names what is wrong with it (the reader's own archive limit is the path's 20 MiB).
        byte[] overDefaultBodyLimit = new byte[3 * 1024 * 1024];
        Arrays.fill(overDefaultBodyLimit, (byte) 'x');
        HttpResponse<String> response = registry.upload(overDefaultBodyLimit, developer.bearer());
        assertProblem(response, 400, RegistryProblems.PACKAGE_INVALID);
        assertThat(TestHttps.json(response).get("reason").asString()).isEqualTo("corrupt-archive");
        HttpResponse<String> elsewhere = registry.post("/api/v1/organisations", "{\"legalName\": \"" + "x".repeat(1536 * 1024)
                + "\", \"contact\": \"c\"}", registry.admin.headers());
        assertProblem(elsewhere, 413, ProblemType.REQUEST_TOO_LARGE);
    }

    @Test
    void aKeyIsBoundOnlyToARegisteredOrganisationAndThenHoldsNothingButPackagesSubmitAndRead() {
        HttpResponse<String> unknown = registry.post("/api/v1/api-keys", "{\"name\": \"ci\", \"permissions\": "
                + "[\"packages.submit\"], \"expiresInDays\": 30, \"organisation\": \"" + java.util.UUID.randomUUID() + "\"}",
                registry.admin.headers());
        assertProblem(unknown, 400, ProblemType.VALIDATION);
        HttpResponse<String> broad = registry.post("/api/v1/api-keys", "{\"name\": \"ci\", \"permissions\": "
                + "[\"packages.submit\", \"audit.read\"], \"expiresInDays\": 30, \"organisation\": \""
                + developer.organisationId() + "\"}", registry.admin.headers());
        assertProblem(broad, 400, ProblemType.VALIDATION);
    }

    @Test
    void theApiKeysOrganisationBindingIsInTheAuditLogAndOnTheKey() {
        String keyId = developer.token().split("_")[1];
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("api-key.create")
                && AuditEvents.text(e, "apiKey").equals(keyId)))
                .extracting(e -> AuditEvents.text(e, "detail"))
                .containsExactly("organisation " + developer.organisationId());
        HttpResponse<String> key = https.get("/api/v1/api-keys/" + keyId, registry.admin.headers());
        assertThat(TestHttps.json(key).get("organisation").asString()).isEqualTo(developer.organisationId());
    }

    @Test
    void anOperatorSubmitsOnlyForAnOrganisationTheyAreAMemberOf() {
        var outsider = registry.operators.signIn("dev-outsider", dev.capsule.server.access.Role.DEVELOPER);
        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.0.0"), outsider.headers()), 403,
                RegistryProblems.MINI_PROGRAM_NOT_YOURS);
        var member = registry.operators.signIn("dev-member", dev.capsule.server.access.Role.DEVELOPER);
        registry.addMember(developer.organisationId(), member);
        HttpResponse<String> response = registry.upload(RegistryFixture.signed(developer, "1.0.0"), member.headers());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(TestHttps.json(response).get("submittedBy").asString()).isEqualTo(member.actorId());
    }

    @Test
    void operatorsWithoutPackagesSubmitCannotUpload() {
        var reviewer = registry.operators.signIn("rev-upload", dev.capsule.server.access.Role.REVIEWER);
        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.0.0"), reviewer.headers()), 403,
                ProblemType.FORBIDDEN);
        assertNothingStoredFor(developer.appId());
    }

    @Autowired
    dev.capsule.server.platform.internal.ServerPorts ports;
    @Autowired
    dev.capsule.server.platform.internal.ServerCertificate certificate;

    /** The status line the server answers a request that declares {@code contentLength} bytes and sends none. */
    private String rawStatusLine(String requestLine, long contentLength) throws Exception {
        javax.net.ssl.SSLSocketFactory factory = TestHttps.trusting(certificate.certificatePem()).getSocketFactory();
        try (var socket = factory.createSocket("localhost", ports.https())) {
            socket.setSoTimeout(30_000);
            String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + developer.token()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + contentLength
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    private long count(String appId) {
        return jdbc.sql("SELECT count(*) FROM registry_version WHERE app_id = ?").param(appId).query(Long.class).single();
    }

    private void assertNothingStoredFor(String appId) {
        assertThat(count(appId)).as("nothing stored for " + appId).isZero();
    }

}
