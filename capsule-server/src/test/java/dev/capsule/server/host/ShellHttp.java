package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.TestHttps;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** HTTP helpers for the shell tests: a browser's cookie and form posts, by hand (the JDK client follows no redirects). */
public final class ShellHttp {
    public static final String COOKIE = "__Host-capsule-shell";
    private static final Pattern CSRF = Pattern.compile("name=\"shellCsrf\" value=\"([A-Za-z0-9_-]{43})\"");

    private ShellHttp() {
    }

    /** The shell cookie's value set by a response, or fails. */
    public static String cookieSetBy(HttpResponse<String> response) {
        String header = response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(COOKIE + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no shell cookie set: " + response.headers().map()));
        return header.substring(COOKIE.length() + 1, header.indexOf(';'));
    }

    public static String[] cookie(String value) {
        return new String[] {"Cookie", COOKIE + "=" + value};
    }

    /** The CSRF token printed in a shell page's forms. */
    public static String csrfOf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a shell form with its CSRF token in " + page).isTrue();
        return matcher.group(1);
    }

    public static HttpResponse<String> postForm(TestHttps https, String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = https.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    /** The server's own origin, as a browser sends it in {@code Origin}. */
    public static String origin(TestHttps https) {
        var uri = https.uri("/");
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    public static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = TestHttps.json(response);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
        assertThat(response.body()).doesNotContain("Exception");
    }
}
