package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The platform over real HTTPS: public and protected paths, every problem type, headers, redirects. */
@CapsuleServerTest
class PlatformHttpTest {
    private static final String[] AUTHENTICATED = {TestAuthentication.USER_HEADER, "alice"};

    @Autowired
    TestHttps https;

    @Test
    void healthIsPublicAndUp() {
        HttpResponse<String> response = https.get("/api/v1/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(response).get("status").asString()).isEqualTo("UP");
        assertSecurityHeaders(response);
    }

    @Test
    void healthShowsNoDetailsToAnonymousCallers() {
        HttpResponse<String> response = https.get("/api/v1/health");
        assertThat(TestHttps.json(response).has("components")).isFalse();
        assertThat(TestHttps.json(response).has("details")).isFalse();
    }

    @Test
    void everyOtherPathNeedsAuthentication() {
        for (String path : new String[] {"/", "/api/v1", "/api/v1/anything", "/api/v1/metrics", "/api/v1/test/echo", "/error"}) {
            HttpResponse<String> response = https.get(path);
            assertProblem(response, 401, "unauthenticated");
            assertSecurityHeaders(response);
        }
    }

    @Test
    void metricsNeedAuthenticationAndServePrometheusText() {
        assertProblem(https.get("/api/v1/metrics"), 401, "unauthenticated");
        // Reading metrics needs the permission metrics.read (docs/rbac.md).
        assertProblem(https.get("/api/v1/metrics", AUTHENTICATED), 403, "forbidden");
        HttpResponse<String> response = https.get("/api/v1/metrics", TestAuthentication.USER_HEADER, "alice",
                TestAuthentication.ROLES_HEADER, "SECURITY_OFFICER");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
        assertThat(response.body()).contains("hikaricp_connections");
    }

    @Test
    void forbiddenIsProblem403() {
        assertProblem(https.get("/api/v1/test/admin-only", AUTHENTICATED), 403, "forbidden");
        assertThat(https.get("/api/v1/test/admin-only", TestAuthentication.USER_HEADER, "root",
                TestAuthentication.ROLES_HEADER, "ADMIN").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIsProblem404ForAuthenticatedCallers() {
        HttpResponse<String> response = https.get("/api/v1/no-such-thing", AUTHENTICATED);
        assertProblem(response, 404, "not-found");
        assertThat(TestHttps.json(response).get("instance").asString()).isEqualTo("/api/v1/no-such-thing");
        assertSecurityHeaders(response);
    }

    @Test
    void wrongMethodIsProblem405() {
        HttpResponse<String> response = https.send(https.request("/api/v1/health")
                .DELETE().build());
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).isPresent();
    }

    @Test
    void unacceptableMediaTypeIsProblem406() {
        HttpResponse<String> response = https.get("/api/v1/health", "Accept", "application/xml");
        assertProblem(response, 406, "not-acceptable");
    }

    @Test
    void unsupportedMediaTypeIsProblem415() {
        HttpResponse<String> response = post("/api/v1/test/echo", "text/plain", "name=x");
        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void malformedJsonIsProblem400() {
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"x\", ");
        assertProblem(response, 400, "malformed-request");
        assertThat(response.body()).doesNotContain("tools.jackson").doesNotContain("Exception");
    }

    @Test
    void wrongValueTypeIsProblem400NamingTheField() {
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"x\", \"count\": \"many\"}");
        assertProblem(response, 400, "malformed-request");
        assertThat(TestHttps.json(response).get("field").asString()).isEqualTo("count");
    }

    @Test
    void unknownFieldIsProblem400NamingTheField() {
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"x\", \"count\": 2, \"admin\": true}");
        assertProblem(response, 400, "unknown-field");
        assertThat(TestHttps.json(response).get("field").asString()).isEqualTo("admin");
    }

    @Test
    void validJsonIsAccepted() {
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"x\", \"count\": 2}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(response).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void invalidFieldsAreProblem400WithAFieldList() {
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"\", \"count\": 11}");
        assertProblem(response, 400, "validation");
        JsonNode errors = TestHttps.json(response).get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("field").asString()).isEqualTo("count");
        assertThat(errors.get(0).get("message").asString()).isNotBlank();
        assertThat(errors.get(1).get("field").asString()).isEqualTo("name");
    }

    @Test
    void bodyOverTheLimitIsProblem413() {
        String big = "{\"name\": \"" + "a".repeat(1024 * 1024) + "\", \"count\": 1}";
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", big);
        assertProblem(response, 413, "request-too-large");
        assertSecurityHeaders(response);
    }

    @Test
    void chunkedBodyOverTheLimitIsProblem413() {
        byte[] big = ("{\"name\": \"" + "a".repeat(1024 * 1024) + "\", \"count\": 1}").getBytes();
        // An input stream publisher has no known length, so the client sends it chunked.
        HttpResponse<String> response = https.send(https.request("/api/v1/test/echo")
                .header(AUTHENTICATED[0], AUTHENTICATED[1])
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertProblem(response, 413, "request-too-large");
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        String padding = " ".repeat(1024 * 1024 - 40);
        HttpResponse<String> response = post("/api/v1/test/echo", "application/json", "{\"name\": \"x\", \"count\": 1}" + padding);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void unexpectedFailureIsProblem500WithoutDetails() {
        HttpResponse<String> response = https.get("/api/v1/test/fail", AUTHENTICATED);
        assertProblem(response, 500, "internal-error");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at dev.");
        assertSecurityHeaders(response);
    }

    @Test
    void moduleProblemKeepsItsTypeAndDetail() {
        HttpResponse<String> response = https.get("/api/v1/test/problem", AUTHENTICATED);
        assertProblem(response, 409, "test-conflict");
        assertThat(TestHttps.json(response).get("detail").asString()).isEqualTo("the fixture always conflicts");
    }

    @Test
    void plainHttpOnlyRedirectsToHttps() {
        for (String path : new String[] {"/api/v1/health", "/api/v1/anything?x=1"}) {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(https.httpUri(path)).GET().build());
            assertThat(response.statusCode()).isEqualTo(301);
            assertThat(response.headers().firstValue("Location")).hasValue(https.uri(path).toString());
            assertThat(response.body()).isEmpty();
            assertSecurityHeaders(response);
        }
        HttpResponse<String> post = https.send(HttpRequest.newBuilder(https.httpUri("/api/v1/test/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(308);
    }

    @Test
    void openApiDocumentIsPublicAndOpenApi31() {
        HttpResponse<String> response = https.get("/api/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = TestHttps.json(response);
        assertThat(document.get("openapi").asString()).startsWith("3.1");
        assertThat(document.get("info").get("title").asString()).isEqualTo("Capsule platform API");
        assertThat(document.get("paths").has("/api/v1/health")).isTrue();

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body(), null, options);
        assertThat(parsed.getMessages()).as("validator messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
        assertThat(parsed.getOpenAPI().getPaths()).containsKey("/api/v1/health");
    }

    private HttpResponse<String> post(String path, String contentType, String body) {
        return https.send(https.request(path)
                .header(AUTHENTICATED[0], AUTHENTICATED[1])
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestHttps.json(response);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("\"trace\"").doesNotContain("\"exception\"");
    }

    static void assertSecurityHeaders(HttpResponse<String> response) {
        var headers = response.headers();
        assertThat(headers.firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
        assertThat(headers.firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(Arrays.asList(headers.firstValue("Cache-Control").orElse("").split(",\\s*"))).contains("no-store");
    }
}
