package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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

    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aReviewerReadsTheSubmissionAndDecidesInChromiumAfterAnOfficersException() throws Exception {
        TestAdvisories.imported(context);
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

        try (TestChromium chromium = TestChromium.launch();
                BrowserContext asReviewer = chromium.signedIn(reviewer, true);
                BrowserContext asOfficer = chromium.signedIn(registry.officer, true)) {
            Page page = asReviewer.newPage();
            page.navigate(https.uri("/console/packages").toString());
            page.locator("tr[data-version-id='" + second + "'] a.open").click();
            page.waitForURL("**/console/packages/" + second);
            assertThat(page.textContent("#app")).isEqualTo(developer.appId());
            assertThat(page.textContent("#version-state")).isEqualTo("in-review");
            assertThat(page.textContent("#privacy .purpose")).as("developer markup is text")
                    .isEqualTo("<b id=\"injected\">nearby</b> todos");
            assertThat(page.locator("#injected").count()).isZero();
            assertThat(page.textContent("#minimization tr[data-api='wx.getLocation'] .state")).as("the minimization report")
                    .isEqualTo("declared, never used");
            assertThat(page.locator("#findings tr.critical .rule").allTextContents()).contains("secret.private-key");
            TestChromium.screenshot(page, "review.png");

            page.selectOption("#risk-data", "basic");
            page.selectOption("#risk-users", "public");
            page.selectOption("#risk-money", "none");
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
            TestChromium.screenshot(page, "diff.png");

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
            page.selectOption("#risk-data", "basic");
            page.selectOption("#risk-users", "public");
            page.selectOption("#risk-money", "none");
            page.selectOption("#preset-select", "social");
            page.fill("#approve-reason", "exception recorded; the rest is fine");
            page.click("#approve");
            assertThat(page.textContent("#error")).as("raising the profile needs a reason").contains("raiseReason");
            page.selectOption("#risk-data", "basic");
            page.selectOption("#risk-users", "public");
            page.selectOption("#risk-money", "none");
            page.selectOption("#preset-select", "social");
            page.fill("#raise-reason", "<i>shares</i> the list with others");
            page.fill("#approve-reason", "exception recorded; the rest is fine");
            page.click("#approve");
            page.waitForURL("**/console/packages/" + second + "?outcome=approved");
            assertThat(page.textContent("#version-state")).isEqualTo("approved");
            assertThat(page.textContent("#preset")).isEqualTo("social");
            assertThat(page.textContent("#risk-derived")).isEqualTo("utility");
            assertThat(page.textContent("#risk-approved")).isEqualTo("social");
            assertThat(page.textContent("#risk-raise-reason")).as("the reviewer's text is text").isEqualTo("<i>shares</i> the list with others");
            assertThat(page.locator("#approve").count()).as("a decided version has no decision forms").isZero();
            TestChromium.screenshot(page, "approved.png");
        }
        assertThat(jdbc.sql("SELECT state || ' ' || preset FROM registry_version WHERE version_id = ?::uuid").param(second)
                .query(String.class).single()).isEqualTo("approved social");
    }

}
