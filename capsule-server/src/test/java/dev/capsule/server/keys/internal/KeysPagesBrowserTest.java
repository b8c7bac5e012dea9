package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's keys pages in Debian's Chromium: a security officer sees every key with its status, rotates a data
 * purpose and follows the re-wrap on the progress page (which reloads itself, no script) until the old key is retired;
 * a second rotation while one runs comes back refused with its code; the rotation is audited with the officer as actor;
 * other roles get no keys page.
 */
@CapsuleServerTest
class KeysPagesBrowserTest {
    private static final Duration FINISH_MAX = Duration.ofSeconds(90);

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;

    @Test
    void aSecurityOfficerRotatesAKeyInTheConsoleAndWatchesTheRewrapFinish() throws Exception {
        SignedInOperators operators = new SignedInOperators(context, https);
        // An operator whose TOTP secret (sealed under operator-secrets) the rotation must re-encrypt.
        operators.signIn("keys-page-holder", Role.AUDITOR);
        SignedInOperators.Session officer = operators.signIn("keys-page-officer", Role.SECURITY_OFFICER);
        try (TestChromium chromium = TestChromium.launch(); BrowserContext browser = chromium.signedIn(officer, true)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/keys").toString());
            assertThat(page.locator("#keys tr[data-purpose='operator-secrets'][data-status='primary']").count()).isEqualTo(1);
            String oldKey = page.textContent("#keys tr[data-purpose='operator-secrets'][data-status='primary'] .key-id").strip();
            assertThat(page.content()).doesNotContain("keyset");
            TestChromium.screenshot(page, "keys.png");

            page.click("#rotate-operator-secrets");
            page.waitForURL("**/console/keys/rotations/*");
            String rotation = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(page.textContent("#purpose")).isEqualTo("operator-secrets");
            assertThat(page.textContent("#old-key")).isEqualTo(oldKey);
            assertThat(page.locator("#progress").count()).isEqualTo(1);
            TestChromium.screenshot(page, "key-rotation-running.png");

            Page second = browser.newPage();
            second.navigate(https.uri("/console/keys").toString());
            second.click("#rotate-operator-secrets");
            second.waitForURL("**/console/keys?refused=key-rotation-running");
            assertThat(second.textContent("#refused")).contains("key-rotation-running");
            second.close();

            Instant deadline = Instant.now().plus(FINISH_MAX);
            // The page reloads itself while the rotation runs; wait for it to say done.
            while (!"done".equals(page.textContent("#state").strip()) && Instant.now().isBefore(deadline)) {
                page.waitForTimeout(500);
            }
            assertThat(page.textContent("#state")).isEqualTo("done");
            assertThat(page.textContent("#percent")).isEqualTo("100%");
            assertThat(page.getAttribute("#progress", "value")).isEqualTo("100");
            assertThat(Long.parseLong(page.textContent("#resealed"))).isPositive();
            assertThat(page.textContent("#remaining")).isEqualTo("0");
            assertThat(page.textContent("#purpose-keys tr[data-key='" + oldKey + "'] .status")).isEqualTo("retired");
            assertThat(page.locator("meta[http-equiv='refresh']").count()).as("a finished rotation stops reloading").isZero();
            TestChromium.screenshot(page, "key-rotation-done.png");

            assertThat(AuditEvents.where(jdbc, e -> "key.rotate".equals(AuditEvents.text(e, "type"))
                    && "operator-secrets".equals(AuditEvents.text(e, "purpose"))
                    && officer.operatorId().toString().equals(AuditEvents.text(e, "actor")))).hasSize(1);
            assertThat(jdbc.sql("SELECT count(*) FROM keys_rotations WHERE id = ?::uuid").param(rotation).query(Long.class).single()).isEqualTo(1);
        }
    }

    @Test
    void otherRolesGetNoKeysPage() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("keys-page-auditor", Role.AUDITOR);
        assertThat(https.get("/console/keys", auditor.headers()).statusCode()).isEqualTo(403);
        HttpResponse<String> rotate = https.send(https.request("/console/keys/pseudonyms/rotations").headers(auditor.headers())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(rotate.statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT count(*) FROM keys_rotations WHERE purpose = 'pseudonyms' AND actor = ?::uuid")
                .param(auditor.operatorId().toString()).query(Long.class).single()).isZero();
        // Audited as the API's refusals are: forbidden, naming keys.manage.
        assertThat(AuditEvents.where(jdbc, e -> "access.deny".equals(AuditEvents.text(e, "type"))
                        && auditor.operatorId().toString().equals(AuditEvents.text(e, "actor"))).stream()
                .map(e -> AuditEvents.line(e, " ", "reason", "permission", "action")).toList())
                .containsExactlyInAnyOrder("forbidden keys.manage GET /console/keys", "forbidden keys.manage POST /console/keys/{purpose}/rotations");
    }
}
