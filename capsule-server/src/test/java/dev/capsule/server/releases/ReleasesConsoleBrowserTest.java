package dev.capsule.server.releases;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    static final String APP = "com.example.consoleapp";

    @Autowired TestHttps https;
    @Autowired TestRegistry registry;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;

    @Test
    void operatorsRollOutRollBackAndRevokeInChromiumAndAnyoneReadsTheLog() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium").isTrue();
        registry.approve(APP, "1.0.0", TestRegistry.someApprover());
        registry.approve(APP, "1.1.0", TestRegistry.someApprover());
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session admin = operators.signIn("console-admin", Role.PLATFORM_ADMIN);
        SignedInOperators.Session officer = operators.signIn("console-officer", Role.SECURITY_OFFICER);

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS))) {
            try (BrowserContext asAdmin = signedIn(browser, admin)) {
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
            try (BrowserContext asOfficer = signedIn(browser, officer)) {
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
            try (BrowserContext anyone = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true))) {
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

    private BrowserContext signedIn(Browser browser, SignedInOperators.Session session) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
        String cookie = session.headers()[1];
        String value = cookie.substring(cookie.indexOf('=') + 1);
        context.addCookies(List.of(new Cookie(cookie.substring(0, cookie.indexOf('=')), value).setUrl(https.uri("/").toString())
                .setSecure(true)));
        return context;
    }
}
