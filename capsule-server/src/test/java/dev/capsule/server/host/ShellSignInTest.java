package dev.capsule.server.host;

import static dev.capsule.server.host.ShellHttp.assertProblem;
import static dev.capsule.server.host.ShellHttp.cookie;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * How a super-app signs its users in to the shell, against the real server (HTTPS, PostgreSQL): an API key with
 * {@code sessions.open} obtains a grant, the browser exchanges it once for the {@code __Host-capsule-shell} cookie,
 * which authenticates the shell's pages and nothing else; the shell's forms need the server's origin and the
 * session's CSRF token; shell pages carry the shell's CSP and violation reports are counted.
 */
@CapsuleServerTest
class ShellSignInTest {
    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired ApplicationContext context;
    @Autowired MeterRegistry meters;

    private String sessionsKey;

    /** An approved API key holding sessions.open (made and approved by two operators through the API). */
    private String[] sessionsKey() {
        if (sessionsKey == null) {
            sessionsKey = apiKey("sessions.open");
        }
        return new String[] {"Authorization", "Bearer " + sessionsKey};
    }

    private String apiKey(String permission) {
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session creator = operators.signIn("grant-key-admin", Role.PLATFORM_ADMIN);
        SignedInOperators.Session approver = operators.signIn("grant-key-officer", Role.SECURITY_OFFICER);
        HttpResponse<String> created = postJson("/api/v1/api-keys", "{\"name\": \"super-app\", \"permissions\": [\"" + permission
                + "\"], \"expiresInDays\": 30}", creator.headers());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(created);
        HttpResponse<String> approved = postJson("/api/v1/api-keys/" + body.get("key").get("keyId").asString() + "/approve", "",
                approver.headers());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        return body.get("token").asString();
    }

    private HttpResponse<String> postJson(String path, String json, String... headers) {
        HttpRequest.Builder request = https.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return https.send(request.build());
    }

    private JsonNode grant(String json) {
        HttpResponse<String> response = postJson("/api/v1/session-grants", json, sessionsKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttps.json(response);
    }

    private String enterPath(JsonNode grant) {
        String url = grant.get("enterUrl").asString();
        return url.substring(url.indexOf("/shell/enter"));
    }

    @Test
    void aGrantIsExchangedOnceForASecureHostOnlyStrictCookieThatOpensTheShell() {
        JsonNode grant = grant("{\"user\": \"acct-1001\"}");
        String token = grant.get("grant").asString();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(grant.get("expiresAt").asString())).isBetween(Instant.now().plusSeconds(30), Instant.now().plusSeconds(61));
        assertThat(grant.get("enterUrl").asString()).isEqualTo(https.uri("/shell/enter?grant=" + token).toString());
        // Only the token's hash is stored.
        assertThat(jdbc.sql("SELECT count(*) FROM host_grants WHERE token_hash = :h").param("h", Sha256.of(token.getBytes(StandardCharsets.US_ASCII)).bytes())
                .query(Long.class).single()).isEqualTo(1);

        HttpResponse<String> entered = https.get(enterPath(grant));
        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(200);
        String setCookie = entered.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(ShellHttp.COOKIE)).findFirst().orElseThrow();
        assertThat(setCookie).contains("Path=/").contains("Secure").contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Domain");
        assertThat(entered.body()).contains("http-equiv=\"refresh\" content=\"0;url=/shell\"");
        String shellCookie = ShellHttp.cookieSetBy(entered);

        HttpResponse<String> list = https.get("/shell", cookie(shellCookie));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains("<h1>Mini-programs</h1>").doesNotContain("demo-banner");

        HttpResponse<String> again = https.get(enterPath(grant));
        assertThat(again.statusCode()).as("a grant is single use").isEqualTo(400);
        assertThat(again.headers().allValues("Set-Cookie")).noneMatch(h -> h.startsWith(ShellHttp.COOKIE));

        List<JsonNode> enters = AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("shell.enter"));
        assertThat(enters).extracting(e -> AuditEvents.line(e, "|", "outcome", "detail", "reason"))
                .contains("success|grant|null", "denied|null|grant-unknown-used-or-expired");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("session-grant.issue")))
                .anySatisfy(e -> {
                    assertThat(AuditEvents.text(e, "apiKey")).matches("[0-9a-f]{16}");
                    assertThat(AuditEvents.text(e, "user")).matches("[0-9a-f]{32}");
                });
        assertThat(AuditEvents.all(jdbc).toString()).doesNotContain("acct-1001");
    }

    @Test
    void aGrantForOneMiniProgramOpensThatMiniProgramOnly() {
        JsonNode grant = grant("{\"user\": \"acct-2002\", \"miniProgram\": \"com.example.todo\", \"seconds\": 30}");
        HttpResponse<String> entered = https.get(enterPath(grant));
        assertThat(entered.body()).contains("content=\"0;url=/shell/apps/com.example.todo\"");
        assertThat(jdbc.sql("SELECT app_id FROM host_shell_sessions WHERE user_id = 'acct-2002'").query(String.class).single())
                .isEqualTo("com.example.todo");
    }

    @Test
    void anExpiredGrantIsRefused() throws Exception {
        JsonNode grant = grant("{\"user\": \"acct-3003\", \"seconds\": 1}");
        Thread.sleep(1_200);
        HttpResponse<String> entered = https.get(enterPath(grant));
        assertThat(entered.statusCode()).isEqualTo(400);
        assertThat(entered.body()).contains("already used or has expired");
    }

    @Test
    void grantRequestsAreValidatedAndNeedSessionsOpen() {
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"has space\"}", sessionsKey()), 400, "validation");
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"u1\", \"miniProgram\": \"Not.An.Id\"}", sessionsKey()), 400, "validation");
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"u1\", \"seconds\": 301}", sessionsKey()), 400, "validation");
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"u1\", \"seconds\": 0}", sessionsKey()), 400, "validation");
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"u1\"}"), 401, "unauthenticated");
        String auditKey = apiKey("audit.read");
        assertProblem(postJson("/api/v1/session-grants", "{\"user\": \"u1\"}", "Authorization", "Bearer " + auditKey), 403, "forbidden");
    }

    @Test
    void withoutASessionShellPagesSendTheBrowserAwayAndTheSocketIsRefused() {
        HttpResponse<String> list = https.get("/shell");
        assertThat(list.statusCode()).isEqualTo(302);
        assertThat(list.headers().firstValue("Location").orElseThrow()).endsWith("/shell/signed-out");
        assertThat(https.get("/shell/settings", cookie("A".repeat(43))).statusCode()).as("an unknown session").isEqualTo(302);
        assertThat(https.get("/shell/ws/com.example.todo").statusCode()).isEqualTo(401);
        assertThat(https.get("/shell/signed-out").statusCode()).isEqualTo(200);
        assertProblem(https.get("/shell/demo"), 404, "demo-users-off");
    }

    @Test
    void theShellCookieAuthenticatesNothingOutsideTheShell() {
        String shellCookie = ShellHttp.cookieSetBy(https.get(enterPath(grant("{\"user\": \"acct-4004\"}"))));
        assertThat(https.get("/shell", cookie(shellCookie)).statusCode()).isEqualTo(200);
        assertProblem(https.get("/api/v1/auth/session", cookie(shellCookie)), 401, "unauthenticated");
        assertProblem(https.get("/api/v1/api-keys", cookie(shellCookie)), 401, "unauthenticated");
    }

    @Test
    void anOperatorSessionReachesNoShellPage() {
        SignedInOperators.Session admin = new SignedInOperators(context, https).signIn("shell-curious-admin", Role.PLATFORM_ADMIN);
        assertThat(https.get("/api/v1/auth/session", admin.headers()).statusCode()).as("the operator session works").isEqualTo(200);
        HttpResponse<String> list = https.get("/shell", admin.headers());
        assertThat(list.statusCode()).isEqualTo(302);
        assertThat(list.headers().firstValue("Location").orElseThrow()).endsWith("/shell/signed-out");
        assertThat(https.get("/shell/ws/com.example.todo", admin.headers()).statusCode()).isEqualTo(401);
    }

    @Test
    void shellFormsNeedTheServersOriginAndTheSessionsCsrfToken() {
        String shellCookie = ShellHttp.cookieSetBy(https.get(enterPath(grant("{\"user\": \"acct-5005\"}"))));
        String csrf = ShellHttp.csrfOf(https.get("/shell", cookie(shellCookie)).body());
        String origin = ShellHttp.origin(https);

        assertProblem(ShellHttp.postForm(https, "/shell/sign-out", Map.of("shellCsrf", csrf), cookie(shellCookie)), 403, "origin-mismatch");
        assertProblem(ShellHttp.postForm(https, "/shell/sign-out", Map.of("shellCsrf", csrf), "Cookie", ShellHttp.COOKIE + "=" + shellCookie,
                "Origin", "https://evil.example"), 403, "origin-mismatch");
        assertProblem(ShellHttp.postForm(https, "/shell/sign-out", Map.of("shellCsrf", "B".repeat(43)), "Cookie",
                ShellHttp.COOKIE + "=" + shellCookie, "Origin", origin), 403, "shell-csrf-token-invalid");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")))
                .extracting(e -> AuditEvents.text(e, "reason")).contains("origin-mismatch", "shell-csrf-token-invalid");
        assertThat(https.get("/shell", cookie(shellCookie)).statusCode()).as("still signed in").isEqualTo(200);

        HttpResponse<String> out = ShellHttp.postForm(https, "/shell/sign-out", Map.of("shellCsrf", csrf), "Cookie",
                ShellHttp.COOKIE + "=" + shellCookie, "Origin", origin);
        assertThat(out.statusCode()).as(out.body()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/shell/signed-out");
        assertThat(https.get("/shell", cookie(shellCookie)).statusCode()).as("signed out").isEqualTo(302);
    }

    @Test
    void shellPagesCarryTheShellsPolicyAndTheConsoleItsOwnBothReporting() {
        String shellCookie = ShellHttp.cookieSetBy(https.get(enterPath(grant("{\"user\": \"acct-6006\"}"))));
        String shell = https.get("/shell", cookie(shellCookie)).headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(shell).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
                + "require-trusted-types-for 'script'; trusted-types 'none'; report-uri /csp-reports");
        assertThat(https.get("/shell/signed-out").headers().firstValue("Content-Security-Policy")).hasValue(shell);
        String console = https.get("/api/v1/health").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(console).startsWith("default-src 'self'").contains("frame-ancestors 'none'").endsWith("report-uri /csp-reports");
    }

    @Test
    void violationReportsAreCountedByDirectiveAndBounded() {
        double before = count("script-src-elem");
        String report = "{\"csp-report\": {\"document-uri\": \"https://h/shell\", \"effective-directive\": \"script-src-elem\", "
                + "\"violated-directive\": \"script-src-elem\", \"blocked-uri\": \"inline\"}}";
        HttpResponse<String> accepted = https.send(https.request("/csp-reports").header("Content-Type", "application/csp-report")
                .POST(HttpRequest.BodyPublishers.ofString(report)).build());
        assertThat(accepted.statusCode()).isEqualTo(204);
        assertThat(count("script-src-elem")).isEqualTo(before + 1);

        double other = count("other");
        https.send(https.request("/csp-reports").header("Content-Type", "application/reports+json").POST(HttpRequest.BodyPublishers.ofString(
                "[{\"type\": \"csp-violation\", \"body\": {\"effectiveDirective\": \"made-up\\nFAKE LOG LINE\"}}]")).build());
        assertThat(count("other")).as("an unknown directive is not a new tag").isEqualTo(other + 1);

        double unreadable = count("unreadable");
        assertThat(https.send(https.request("/csp-reports").POST(HttpRequest.BodyPublishers.ofString("not json")).build()).statusCode()).isEqualTo(204);
        assertThat(count("unreadable")).isEqualTo(unreadable + 1);

        HttpResponse<String> large = https.send(https.request("/csp-reports").header("Content-Type", "application/csp-report")
                .POST(HttpRequest.BodyPublishers.ofString("{\"csp-report\": {\"x\": \"" + "a".repeat(9000) + "\"}}")).build());
        assertProblem(large, 413, "request-too-large");
    }

    private double count(String directive) {
        var counter = meters.find("capsule.csp.reports").tag("directive", directive).counter();
        return counter == null ? 0 : counter.count();
    }
}
