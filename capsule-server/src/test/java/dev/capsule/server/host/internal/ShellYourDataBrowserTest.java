package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.server.host.ShellHttp;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMiniPrograms;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A user gets a copy of their data and deletes it from the shell, in Debian's Chromium against the real server: on
 * {@code /shell/settings}, "Download my data" makes the export at once and its page shows what a mini-program stored
 * (markup in a stored value stays text); "Delete my data" needs its box ticked, erases and signs the user out.
 */
@CapsuleServerTest
class ShellYourDataBrowserTest {
    @Autowired TestHttps https;
    @Autowired ShellSignIn signIn;
    @Autowired EncryptedStorage storage;
    @Autowired PairwiseIds pairwise;
    @Autowired JdbcClient jdbc;

    @Test
    void aUserDownloadsTheirDataThenDeletesItAndIsSignedOut() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        MiniProgramId app = TestMiniPrograms.register(jdbc, "com.example.yourdata" + run);
        ShellUserId user = new ShellUserId("yourdata-" + run);
        String area = pairwise.runtimeUserId(app, user);
        storage.open(app.value(), area).set("greeting", "\"<b id=pwned>hello</b>\"");
        String cookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", user, Optional.empty(), 60).token()).orElseThrow().cookieToken();

        try (TestChromium chromium = TestChromium.launch()) {
            BrowserContext context = chromium.anonymous();
            context.addCookies(List.of(new Cookie(ShellHttp.COOKIE, cookie).setUrl(https.uri("/").toString()).setSecure(true)
                    .setHttpOnly(true).setSameSite(SameSiteAttribute.STRICT)));
            Page page = context.newPage();
            page.navigate(https.uri("/shell/settings").toString());
            assertThat(page.isVisible("#no-requests")).as(page.content()).isTrue();

            page.waitForNavigation(() -> page.click("#request-export button"));
            String row = "tr.privacy-request[data-kind='export']";
            assertThat(page.textContent(row + " .state")).isEqualTo("done");
            TestChromium.screenshot(page, "shell-settings-your-data.png");
            page.waitForNavigation(() -> page.click(row + " a.export-page"));
            String storageRecord = "section[data-holder='host.shell'] tr.record";
            assertThat(page.textContent(storageRecord + ":has-text('greeting')")).contains(app.value()).contains("\"<b id=pwned>hello</b>\"");
            assertThat(page.querySelector("#pwned")).as("a stored value is text, never markup").isNull();
            TestChromium.screenshot(page, "shell-your-data-export.png");

            page.navigate(https.uri("/shell/settings").toString());
            page.click("#request-erasure button");
            assertThat(page.url()).as("the box must be ticked first (the browser refuses the form)").endsWith("/shell/settings");
            page.check("#request-erasure input[name=confirm]");
            page.waitForNavigation(() -> page.click("#request-erasure button"));
            assertThat(page.url()).endsWith("/shell/signed-out");
            assertThat(signIn.session(cookie)).as("signed out").isEmpty();
            assertThat(storage.open(app.value(), area).get("greeting")).as("the stored value is gone").isEmpty();
            assertThat(TestChromium.cspViolations(page)).isEmpty();
        }
    }
}
