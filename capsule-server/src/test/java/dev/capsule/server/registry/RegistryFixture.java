package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The registry tests' world, built through the real API by real operators (signed in with password and TOTP,
 * so step-up holds): a platform admin registers organisations and their keys and creates API keys, a security
 * officer approves the keys and records exceptions, reviewers decide. Packages are the todo example, renamed
 * and re-versioned, packed and signed with core's own code.
 */
public final class RegistryFixture {
    private static final AtomicInteger NAMES = new AtomicInteger();

    final TestHttps https;
    public final SignedInOperators operators;
    public final SignedInOperators.Session admin;
    public final SignedInOperators.Session officer;

    public RegistryFixture(TestHttps https, ApplicationContext context) {
        this.https = https;
        this.operators = new SignedInOperators(context, https);
        this.admin = operators.signIn("reg-admin", dev.capsule.server.access.Role.PLATFORM_ADMIN);
        this.officer = operators.signIn("reg-officer", dev.capsule.server.access.Role.SECURITY_OFFICER);
    }

    /** A registered, verified organisation with one app id and one key, and an active API key bound to it. */
    public record Developer(String organisationId, String appId, SigningKey key, String keyId, String token) {
        String[] bearer() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    public Developer developer() {
        return developer("todo");
    }

    /** As {@link #developer()}, for the example mini-program {@code examples/<example>}: its app id ends in {@code .<example>}. */
    public Developer developer(String example) {
        int n = NAMES.incrementAndGet();
        String organisation = organisation("Example " + n + " Ltd", true);
        String appId = "com.example" + n + "." + example;
        addApp(organisation, appId);
        SigningKey key = SigningKey.generate();
        String keyId = addKey(organisation, key);
        return new Developer(organisation, appId, key, keyId, apiKey(organisation));
    }

    String organisation(String legalName, boolean verified) {
        HttpResponse<String> created = post("/api/v1/organisations",
                "{\"legalName\": \"" + legalName + "\", \"contact\": \"security@example.com\"}", admin.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = TestHttps.json(created).get("id").asString();
        if (verified) {
            HttpResponse<String> verify = post("/api/v1/organisations/" + id + "/verify", "", admin.headers());
            assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        }
        return id;
    }

    void addApp(String organisation, String appId) {
        HttpResponse<String> added = post("/api/v1/organisations/" + organisation + "/mini-programs",
                "{\"appId\": \"" + appId + "\"}", admin.headers());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    }

    String addKey(String organisation, SigningKey key) {
        HttpResponse<String> added = post("/api/v1/organisations/" + organisation + "/keys",
                "{\"publicKeyPem\": " + quote(key.publicKey().toPem()) + "}", admin.headers());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        return TestHttps.json(added).get("keyId").asString();
    }

    void addMember(String organisation, SignedInOperators.Session member) {
        HttpResponse<String> added = post("/api/v1/organisations/" + organisation + "/members",
                "{\"operatorId\": \"" + member.operatorId() + "\"}", admin.headers());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    }

    /** An API key bound to {@code organisation} holding packages.submit and packages.read: admin creates, officer approves. */
    String apiKey(String organisation) {
        return approvedKey("{\"name\": \"ci\", \"permissions\": [\"packages.submit\", \"packages.read\"], \"expiresInDays\": 30, "
                + "\"organisation\": \"" + organisation + "\"}");
    }

    /** An API key bound to no organisation holding {@code permission} (a super-app backend's): admin creates, officer approves. */
    public String platformApiKey(String permission) {
        return approvedKey("{\"name\": \"super-app\", \"permissions\": [\"" + permission + "\"], \"expiresInDays\": 30}");
    }

    /** Creates the key {@code request} describes as the admin, approves it as the officer; its token. */
    private String approvedKey(String request) {
        HttpResponse<String> created = post("/api/v1/api-keys", request, admin.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(created);
        HttpResponse<String> approved = post("/api/v1/api-keys/" + body.get("key").get("keyId").asString() + "/approve", "",
                officer.headers());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        return body.get("token").asString();
    }

    HttpResponse<String> upload(byte[] pkg, String... headers) {
        HttpRequest.Builder request = https.request("/api/v1/packages").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pkg));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    /** Uploads and expects 201; the version's id. */
    public String submitted(Developer developer, byte[] pkg) {
        HttpResponse<String> response = upload(pkg, developer.bearer());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttps.json(response).get("id").asString();
    }

    public HttpResponse<String> post(String path, String json, String... headers) {
        HttpRequest.Builder request = https.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    /**
     * Approves with the risk questionnaire's answers that derive {@code preset} ({@link #answersFor}), so the approved
     * profile is the derived one; an unknown preset is sent as it is, with the answers of {@code utility}.
     */
    public HttpResponse<String> approve(String versionId, String preset, SignedInOperators.Session reviewer) {
        return approve(versionId, answersFor(preset), preset, null, reviewer);
    }

    /** Approves with {@code answers} (JSON object text), {@code preset} (null: the derived one) and {@code raiseReason}. */
    public HttpResponse<String> approve(String versionId, String answers, String preset, String raiseReason,
            SignedInOperators.Session reviewer) {
        return post("/api/v1/packages/" + versionId + "/approve", "{\"risk\": " + answers
                + (preset == null ? "" : ", \"preset\": \"" + preset + "\"")
                + (raiseReason == null ? "" : ", \"raiseReason\": \"" + raiseReason + "\"")
                + ", \"reason\": \"reviewed the findings and the diff\"}", reviewer.headers());
    }

    /** Questionnaire answers (JSON) whose derived profile is {@code preset} (docs/registry.md, "Risk assessment"). */
    public static String answersFor(String preset) {
        return switch (preset) {
            case "financial" -> answers("basic", "public", "payments");
            case "internal" -> answers("basic", "operator-staff", "none");
            case "social" -> answers("identifying", "public", "none");
            case "content" -> answers("none", "public", "none");
            default -> answers("basic", "public", "none");
        };
    }

    public static String answers(String data, String users, String money) {
        return "{\"data\": \"" + data + "\", \"users\": \"" + users + "\", \"money\": \"" + money + "\"}";
    }

    /** The todo example as {@code appId} {@code version}, with files replaced or added by {@code changes}. */
    static Map<String, byte[]> sources(String appId, String version, Map<String, String> changes) {
        return sources("todo", appId, version, changes);
    }

    /** {@code examples/<example>} (id {@code com.example.<example>}, 1.0.0) as {@code appId} {@code version}, with {@code changes}. */
    static Map<String, byte[]> sources(String example, String appId, String version, Map<String, String> changes) {
        Map<String, byte[]> files = new TreeMap<>();
        Path root = Path.of(System.getProperty("capsule.repo.root", "..")).resolve("examples").resolve(example);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("README.md")).toList()) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String manifest = new String(files.get("capsule.json"), StandardCharsets.UTF_8)
                .replace("\"com.example." + example + "\"", "\"" + appId + "\"").replace("\"1.0.0\"", "\"" + version + "\"");
        files.put("capsule.json", manifest.getBytes(StandardCharsets.UTF_8));
        changes.forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    static byte[] unsigned(String appId, String version, Map<String, String> changes) {
        return unsigned("todo", appId, version, changes);
    }

    static byte[] unsigned(String example, String appId, String version, Map<String, String> changes) {
        try {
            return Packer.pack(sources(example, appId, version, changes), PackageLimits.DEFAULTS);
        } catch (dev.capsule.core.pkg.PackageException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] signed(SigningKey key, String appId, String version, Map<String, String> changes) {
        return signed(key, "todo", appId, version, changes);
    }

    /** {@code examples/<example>} packed with core's {@code Packer} (as {@code capsule pack}) and developer-signed. */
    public static byte[] signed(SigningKey key, String example, String appId, String version, Map<String, String> changes) {
        return sign(unsigned(example, appId, version, changes), key, Role.DEVELOPER);
    }

    static byte[] signed(Developer developer, String version) {
        return signed(developer.key(), developer.appId(), version, Map.of());
    }

    static byte[] sign(byte[] archive, SigningKey key, Role role) {
        try {
            return PackageSigner.sign(archive, key, role);
        } catch (dev.capsule.core.pkg.PackageException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static void assertProblem(HttpResponse<String> response, int status, ProblemType type) {
        assertProblem(response, status, type.slug());
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestHttps.json(response);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception");
    }
}
