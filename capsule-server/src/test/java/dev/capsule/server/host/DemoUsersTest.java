package dev.capsule.server.host;

import static dev.capsule.server.host.ShellHttp.assertProblem;
import static dev.capsule.server.host.ShellHttp.cookie;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** With {@code capsule.host.demo-users=true} ({@code --dev}): demo users instead of grants, and every shell page says so. */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.host.demo-users=true")
class DemoUsersTest {
    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;

    @Test
    void aDemoUserIsPickedFromTheServersOwnPageAndEveryShellPageShowsTheBanner() {
        HttpResponse<String> without = https.get("/shell");
        assertThat(without.statusCode()).isEqualTo(302);
        assertThat(without.headers().firstValue("Location").orElseThrow()).endsWith("/shell/demo");

        HttpResponse<String> picker = https.get("/shell/demo");
        assertThat(picker.statusCode()).isEqualTo(200);
        assertThat(picker.body()).contains("id=\"demo-banner\"").contains("Development mode: demo users").contains("demo-alice");

        assertProblem(ShellHttp.postForm(https, "/shell/demo", Map.of("user", "demo-alice")), 403, "origin-mismatch");
        assertProblem(ShellHttp.postForm(https, "/shell/demo", Map.of("user", "mallory"), "Origin", ShellHttp.origin(https)), 400, "validation");

        HttpResponse<String> entered = ShellHttp.postForm(https, "/shell/demo", Map.of("user", "demo-alice"), "Origin", ShellHttp.origin(https));
        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(302);
        assertThat(entered.headers().firstValue("Location").orElseThrow()).endsWith("/shell");
        String shellCookie = ShellHttp.cookieSetBy(entered);
        for (String page : new String[] {"/shell", "/shell/settings"}) {
            HttpResponse<String> response = https.get(page, cookie(shellCookie));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).as(page).contains("id=\"demo-banner\"");
        }
        assertThat(jdbc.sql("SELECT demo FROM host_shell_sessions WHERE user_id = 'demo-alice'").query(Boolean.class).list()).contains(true);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("shell.enter")))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "detail")).contains("success|demo");
    }

    @Test
    void theSignedOutPageOffersTheDemoUsers() {
        assertThat(https.get("/shell/signed-out").body()).contains("href=\"/shell/demo\"").contains("id=\"demo-banner\"");
    }
}
