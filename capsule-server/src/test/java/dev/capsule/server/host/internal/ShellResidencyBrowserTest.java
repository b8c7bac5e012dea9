package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.capsule.server.access.Role;
import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.Residency;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TwoRegionServerInitializer;
import dev.capsule.testing.server.TwoRegionServerTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Data residency as a person and an operator see it, in Debian's Chromium against a server with two regions: a person
 * placed in eu reads on their settings page and in their export that their data is kept in eu, and their wallet says
 * payments are not available to them; an operator sees each region's database and how many people are placed in it
 * on the records of processing.
 */
@TwoRegionServerTest
class ShellResidencyBrowserTest {
    @Autowired TestHttps https;
    @Autowired ShellSignIn signIn;
    @Autowired Residency residency;
    @Autowired ApplicationContext context;

    @Test
    void aPersonOfEuReadsWhereTheirDataIsAndAnOperatorSeesEachRegionsDatabase() throws Exception {
        ShellUserId user = new ShellUserId("eu-browser-" + Long.toString(System.nanoTime(), 36));
        String cookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", user, Optional.empty(), 60, TwoRegionServerInitializer.EU)
                .token()).orElseThrow().cookieToken();
        SignedInOperators.Session officer = new SignedInOperators(context, https).signIn("residency-console", Role.SECURITY_OFFICER);

        try (TestChromium chromium = TestChromium.launch()) {
            BrowserContext shell = chromium.anonymous();
            shell.addCookies(List.of(new Cookie(ShellHttp.COOKIE, cookie).setUrl(https.uri("/").toString()).setSecure(true)
                    .setHttpOnly(true).setSameSite(SameSiteAttribute.STRICT)));
            Page page = shell.newPage();
            page.navigate(https.uri("/shell/settings").toString());
            assertThat(page.textContent("#data-region strong")).as(page.content()).isEqualTo("eu");
            assertThat(page.isVisible("#passkeys-other-region")).as("no passkeys for payments a person of eu cannot make").isTrue();
            assertThat(page.querySelector("#add-passkey")).isNull();
            TestChromium.screenshot(page, "shell-settings-region.png");

            page.waitForNavigation(() -> page.click("#request-export button"));
            page.waitForNavigation(() -> page.click("tr.privacy-request[data-kind='export'] a.export-page"));
            assertThat(page.textContent("#residency")).isEqualTo("Your data is stored in region eu ("
                    + residency.database(TwoRegionServerInitializer.EU).location() + ").");
            assertThat(page.textContent("section[data-holder='host.shell'] tr.record:has-text('placement')")).contains("eu");

            page.navigate(https.uri("/shell/wallet").toString());
            assertThat(page.textContent("#payments-unavailable")).contains("your data is kept in another region");
            assertThat(TestChromium.cspViolations(page)).isEmpty();

            try (BrowserContext console = chromium.signedIn(officer, false)) {
                Page operator = console.newPage();
                operator.navigate(https.uri("/console/compliance/processing").toString());
                assertThat(operator.textContent("tr.storage-location[data-region='local']")).contains("(home)")
                        .contains(residency.database(residency.home()).location());
                assertThat(operator.textContent("tr.storage-location[data-region='eu']"))
                        .contains(residency.database(TwoRegionServerInitializer.EU).location());
                assertThat(Long.parseLong(operator.textContent("tr.storage-location[data-region='eu'] .end-users").strip()))
                        .as("at least this test's person").isPositive();
                TestChromium.screenshot(operator, "console-processing-storage.png");
            }
        }
    }
}
