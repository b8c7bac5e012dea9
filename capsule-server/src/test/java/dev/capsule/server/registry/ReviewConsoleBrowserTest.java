package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The review console in a real browser (Debian's headless Chromium driven by Playwright) against the real
 * HTTPS server: a reviewer finds the submission, reads its manifest, privacy purposes (developer markup shown as
 * text), findings, the stored findings report and the diff against the previous approved version; the critical
 * finding blocks the approval on the page; a security officer records an exception in the console; the reviewer
 * then approves with a risk profile. Operators are signed in with password and TOTP over HTTPS (so step-up holds)
 * and their session cookie handed to the browser. Fails, never skips, without /usr/bin/chromium.
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class ReviewConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aReviewerReadsTheSubmissionAndDecidesInChromiumAfterAnOfficersException() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium").isTrue();
        TestAdvisories.imported(jdbc);
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session reviewer = registry.operators.signIn("console-reviewer", Role.REVIEWER);
        String first = registry.submitted(developer, RegistryFixture.signed(developer, "1.0.0"));
        assertThat(registry.approve(first, "utility", reviewer).statusCode()).isEqualTo(200);

        String manifest = new String(RegistryFixture.sources(developer.appId(), "1.1.0", Map.of()).get("capsule.json"),
                StandardCharsets.UTF_8).replace("\"privacy\": []", "\"privacy\": [{\"data\": \"location\", \"apis\": "
                + "[\"wx.getLocation\"], \"purpose\": \"<b id=\\\"injected\\\">nearby</b> todos\"}]");
        Map<String, String> changes = new HashMap<>(PackageReviewApiTest.PLANTED_SECRET);
        changes.put("capsule.json", manifest);
        changes.put("utils/todos.js", "module.exports = { version: 2 };\n");
        String second = registry.submitted(developer, RegistryFixture.signed(developer.key(), developer.appId(), "1.1.0", changes));
        Path screenshots = Files.createDirectories(Path.of("target", "console-screenshots"));

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS));
                BrowserContext asReviewer = signedIn(browser, reviewer);
                BrowserContext asOfficer = signedIn(browser, registry.officer)) {
            Page page = asReviewer.newPage();
            page.navigate(https.uri("/console/packages").toString());
            page.locator("tr[data-version-id='" + second + "'] a.open").click();
            page.waitForURL("**/console/packages/" + second);
            assertThat(page.textContent("#app")).isEqualTo(developer.appId());
            assertThat(page.textContent("#version-state")).isEqualTo("in-review");
            assertThat(page.textContent("#privacy .purpose")).as("developer markup is text")
                    .isEqualTo("<b id=\"injected\">nearby</b> todos");
            assertThat(page.locator("#injected").count()).isZero();
            assertThat(page.locator("#findings tr.critical .rule").allTextContents()).contains("secret.private-key");
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("review.png")).setFullPage(true));

            page.fill("#approve-reason", "looks fine");
            page.click("#approve");
            assertThat(page.textContent("#error")).as("the critical finding blocks approval").contains("critical finding");
            assertThat(page.textContent("#version-state")).isEqualTo("in-review");

            page.click("#diff-link");
            page.waitForURL("**/console/packages/" + second + "/diff");
            assertThat(page.textContent("#base-version")).isEqualTo("1.0.0");
            assertThat(page.locator("[data-path='utils/todos.js']").getAttribute("data-change")).isEqualTo("changed");
            assertThat(page.locator("[data-path='utils/todos.js'] .line").allTextContents())
                    .contains("+module.exports = { version: 2 };");
            assertThat(page.locator("[data-path='utils/config.js']").getAttribute("data-change")).isEqualTo("added");
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("diff.png")).setFullPage(true));

            page.navigate(https.uri("/console/packages/" + second + "/findings").toString());
            assertThat(page.content()).contains("secret.private-key").contains("Blocking");

            Page officer = asOfficer.newPage();
            officer.navigate(https.uri("/console/packages/" + second).toString());
            officer.fill("#exception-reason", "the key is a published test vector");
            officer.click("#record-exception");
            officer.waitForURL("**/console/packages/" + second + "?outcome=exception");
            assertThat(officer.textContent("#message")).isEqualTo("Exception recorded.");
            assertThat(officer.textContent("#exception")).contains("published test vector");

            page.navigate(https.uri("/console/packages/" + second).toString());
            page.selectOption("#preset-select", "social");
            page.fill("#approve-reason", "exception recorded; the rest is fine");
            page.click("#approve");
            page.waitForURL("**/console/packages/" + second + "?outcome=approved");
            assertThat(page.textContent("#version-state")).isEqualTo("approved");
            assertThat(page.textContent("#preset")).isEqualTo("social");
            assertThat(page.locator("#approve").count()).as("a decided version has no decision forms").isZero();
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("approved.png")).setFullPage(true));
        }
        assertThat(jdbc.sql("SELECT state || ' ' || preset FROM registry_version WHERE version_id = ?::uuid").param(second)
                .query(String.class).single()).isEqualTo("approved social");
    }

    /** A browser context holding the operator's session cookie (signed in over HTTPS with password and TOTP). */
    private BrowserContext signedIn(Browser browser, SignedInOperators.Session session) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
        String[] cookie = session.headers()[1].split("=", 2);
        context.addCookies(List.of(new Cookie(cookie[0], cookie[1]).setDomain("localhost").setPath("/").setSecure(true)
                .setHttpOnly(true)));
        return context;
    }
}
