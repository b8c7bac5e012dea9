package dev.capsule.server.releases;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The release console in a real browser (headless Chromium driven by Playwright) against the real HTTPS server:
 * a platform admin raises a rollout, sees a shrinking percent refused and rolls back; a security officer revokes a
 * version with the kill switch; the public log page shows the entries to a browser without a session. Fails, never
 * skips, without /usr/bin/chromium.
 */
@CapsuleServerTest
@Import(TestRegistry.Config.class)
class ReleasesConsoleBrowserTest {
    static final String APP = "com.example.consoleapp";

    @Autowired TestHttps https;
    @Autowired TestRegistry registry;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;

    @Test
    void operatorsRollOutRollBackAndRevokeInChromiumAndAnyoneReadsTheLog() throws Exception {
        registry.approve(APP, "1.0.0", TestRegistry.someApprover());
        registry.approve(APP, "1.1.0", TestRegistry.someApprover());
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session admin = operators.signIn("console-admin", Role.PLATFORM_ADMIN);
        SignedInOperators.Session officer = operators.signIn("console-officer", Role.SECURITY_OFFICER);

        try (TestChromium chromium = TestChromium.launch()) {
            try (BrowserContext asAdmin = chromium.signedIn(admin, true)) {
                Page page = asAdmin.newPage();
                page.navigate(https.uri("/console/releases").toString());
                page.click("text=" + APP);
                page.waitForURL("**/console/releases/" + APP);
                assertThat(page.textContent("#stable")).isEqualTo("1.0.0");
                assertThat(page.textContent("#rolling")).isEqualTo("1.1.0");
                assertThat(page.textContent("#percent")).isEqualTo("0");

                page.fill("#rollout-percent", "40");
                page.click("#set-percent");
                page.waitForURL("**/console/releases/" + APP);
                assertThat(page.textContent("#percent")).isEqualTo("40");
                page.fill("#rollout-percent", "20");
                page.click("#set-percent");
                page.waitForURL("**/console/releases/" + APP + "?refused=percent-not-growing");
                assertThat(page.textContent("#refused")).contains("percent-not-growing");
                assertThat(page.textContent("#percent")).isEqualTo("40");

                page.selectOption("#rollback-version", "1.0.0");
                page.click("#rollback");
                page.waitForURL("**/console/releases/" + APP);
                assertThat(page.textContent("#stable")).isEqualTo("1.0.0");
                assertThat(page.textContent("#rolling")).isEqualTo("none");
            }
            try (BrowserContext asOfficer = chromium.signedIn(officer, true)) {
                Page page = asOfficer.newPage();
                page.navigate(https.uri("/console/releases/kill-switch").toString());
                page.click("text=" + APP);
                page.waitForURL("**/console/releases/" + APP + "/kill-switch");
                page.selectOption("#revoke-version", "1.1.0");
                page.fill("#revoke-reason", "<b>leaks tokens</b>");
                page.click("#revoke");
                page.waitForURL("**/console/releases/" + APP + "/kill-switch");
                assertThat(page.locator("#versions tr", new Page.LocatorOptions().setHasText("1.1.0")).textContent()).contains("revoked");
            }
            try (BrowserContext anyone = chromium.anonymous()) {
                Page page = anyone.newPage();
                page.navigate(https.uri("/releases/log").toString());
                assertThat(page.textContent("#checkpoint")).startsWith("capsule.local/releases/");
                String entries = page.textContent("#entries");
                assertThat(entries).contains("\"type\":\"revocation\"", "\"type\":\"rollback\"");
                assertThat(page.locator("#entries b").count()).as("the reason is printed as text, never as markup").isZero();
            }
        }
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "app").equals(APP)).stream()
                .map(e -> AuditEvents.line(e, "|", "type", "outcome", "reason")).toList())
                .contains("release.rollout|success|null", "release.rollout|failure|percent-not-growing", "release.rollback|success|null",
                        "release.revoke|success|null");
    }

}
