package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * HTTP helpers for the access tests: callers by role, API keys made through the real API by real
 * operators (signed in with password and TOTP, so step-up is satisfied): a platform-admin creates,
 * a security-officer approves.
 */
final class AccessHttp {
    private final TestHttps https;
    private final SignedInOperators operators;
    private SignedInOperators.Session creator;
    private SignedInOperators.Session approver;

    AccessHttp(TestHttps https, ApplicationContext context) {
        this.https = https;
        this.operators = new SignedInOperators(context, https);
    }

    /** The platform-admin who creates this helper's keys, signed in on first use. */
    SignedInOperators.Session creator() {
        if (creator == null) {
            creator = operators.signIn("carl-creator", Role.PLATFORM_ADMIN);
        }
        return creator;
    }

    /** The security-officer who approves this helper's keys, signed in on first use. */
    SignedInOperators.Session approver() {
        if (approver == null) {
            approver = operators.signIn("olga-approver", Role.SECURITY_OFFICER);
        }
        return approver;
    }

    /** Headers that authenticate an operator named {@code name} holding {@code roles} (test authentication). */
    static String[] operator(String name, Role... roles) {
        String codes = String.join(",", java.util.Arrays.stream(roles).map(Enum::name).toList());
        return roles.length == 0
                ? new String[] {TestAuthentication.USER_HEADER, name}
                : new String[] {TestAuthentication.USER_HEADER, name, TestAuthentication.ROLES_HEADER, codes};
    }

    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    HttpResponse<String> get(String path, String... headers) {
        return https.get(path, headers);
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        HttpRequest.Builder request = https.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    HttpResponse<String> send(String method, String path, String... headers) {
        HttpRequest.Builder request = https.request(path);
        if (method.equals("GET") || method.equals("DELETE") || method.equals("HEAD") || method.equals("OPTIONS")) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    /** A key created by {@link #creator()} (platform-admin) and approved by {@link #approver()} (security-officer). */
    Key activeKey(String name, List<String> permissions, String extraJson) {
        Key key = pendingKey(name, permissions, extraJson);
        HttpResponse<String> approved = post("/api/v1/api-keys/" + key.keyId() + "/approve", "", approver().headers());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        return key;
    }

    Key pendingKey(String name, List<String> permissions, String extraJson) {
        String codes = String.join(",", permissions.stream().map(code -> "\"" + code + "\"").toList());
        HttpResponse<String> created = post("/api/v1/api-keys", "{\"name\": \"" + name + "\", \"permissions\": [" + codes
                + "], \"expiresInDays\": 30" + extraJson + "}", creator().headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(created);
        return new Key(body.get("key").get("keyId").asString(), body.get("token").asString());
    }

    record Key(String keyId, String token) {
        String[] bearer() {
            return AccessHttp.bearer(token);
        }
    }

    static void assertProblem(HttpResponse<String> response, int status, ProblemType type) {
        assertProblem(response, status, type.slug());
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.uri() + " " + response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestHttps.json(response);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("\"trace\"").doesNotContain("Exception");
    }

    static String slug(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "";
        }
        return TestHttps.json(response).get("type").asString().substring(ProblemType.BASE_URI.length());
    }
}
