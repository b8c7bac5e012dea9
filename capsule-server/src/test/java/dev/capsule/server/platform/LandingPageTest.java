package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code https://host/} over real HTTPS: a page for a browser, the 401 problem for an API client. */
@CapsuleServerTest
class LandingPageTest {
    /** What Chromium sends for a typed address. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    @Autowired
    TestHttps https;

    @Test
    void browserGetsAPageThatSaysWhereToGo() {
        HttpResponse<String> page = https.get("/", "Accept", BROWSER_ACCEPT);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("This is a Capsule server")
                .contains("href=\"/console/sign-in\"")
                .contains("href=\"/api/v1/health\"")
                .contains("href=\"/api/openapi.json\"")
                .contains("href=\"/.well-known/capsule-keys\"")
                .contains("docs/server.md")
                .contains("href=\"/console/console.css\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(https.get("/console/console.css").statusCode()).isEqualTo(200);
    }

    @Test
    void apiClientsStillGetTheProblem() {
        for (String accept : new String[] {"application/json", "application/problem+json", "*/*"}) {
            HttpResponse<String> response = https.get("/", "Accept", accept);
            assertThat(response.statusCode()).as(accept).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(accept).startsWith("application/problem+json");
        }
        assertThat(https.get("/").statusCode()).isEqualTo(401);
        // Only "/" is a page: other paths stay behind authentication for browsers too.
        assertThat(https.get("/api/v1", "Accept", BROWSER_ACCEPT).statusCode()).isEqualTo(401);
        assertThat(https.get("/index.html", "Accept", BROWSER_ACCEPT).statusCode()).isEqualTo(401);
    }
}
