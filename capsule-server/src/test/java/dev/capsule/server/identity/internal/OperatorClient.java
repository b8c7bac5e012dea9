package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A test client that behaves like a careful API client: keeps the session cookie, and sends the CSRF
 * token it was given in the {@code X-CSRF-Token} header (unless told not to).
 */
final class OperatorClient {
    private final TestHttps https;
    private String session;
    private String csrf;

    OperatorClient(TestHttps https) {
        this.https = https;
    }

    /** A client signed in as {@code operator} through the API: password, then a TOTP code; fails the test otherwise. */
    static OperatorClient signedIn(TestHttps https, TestOperators.Enrolled operator) {
        OperatorClient client = new OperatorClient(https);
        HttpResponse<String> first = client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(TestHttps.json(first).get("next").asString()).isEqualTo("second-factor");
        HttpResponse<String> second = client.post("/api/v1/auth/second-factor/totp", json("code", operator.code()));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(TestHttps.json(second).get("next").asString()).isEqualTo("done");
        return client;
    }

    /** A second client on the same session (another node, or a stolen cookie). */
    OperatorClient sharing(TestHttps other) {
        OperatorClient copy = new OperatorClient(other);
        copy.session = session;
        copy.csrf = csrf;
        return copy;
    }

    Optional<String> sessionCookie() {
        return Optional.ofNullable(session);
    }

    Optional<String> csrfToken() {
        return Optional.ofNullable(csrf);
    }

    HttpResponse<String> get(String path) {
        return send(https.request(path).GET(), true);
    }

    HttpResponse<String> post(String path, String json) {
        return post(path, json, true);
    }

    HttpResponse<String> post(String path, String json, boolean withCsrf) {
        HttpRequest.Builder request = https.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        return send(request, withCsrf);
    }

    HttpResponse<String> put(String path, String json) {
        return send(https.request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), true);
    }

    HttpResponse<String> send(HttpRequest.Builder request, boolean withCsrf) {
        if (session != null) {
            request.header("Cookie", IdentitySecurity.SESSION_COOKIE + "=" + session);
        }
        if (withCsrf && csrf != null) {
            request.header(IdentitySecurity.CSRF_HEADER, csrf);
        }
        HttpResponse<String> response = https.send(request.build());
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(IdentitySecurity.SESSION_COOKIE + "=")) {
                String value = header.substring(IdentitySecurity.SESSION_COOKIE.length() + 1).split(";", 2)[0];
                session = value.isEmpty() || header.contains("Max-Age=0") ? null : value;
            }
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json") && !response.body().isEmpty()) {
            JsonNode body = TestHttps.json(response);
            if (body.has("csrfToken")) {
                csrf = body.get("csrfToken").asString();
            }
        }
        return response;
    }

    static String json(String... keysAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(keysAndValues[i]).append("\":\"")
                    .append(keysAndValues[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append('}').toString();
    }
}
