package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Withdrawing is as easy as allowing, in Debian's Chromium against the real server: on {@code /shell/settings} a demo
 * user sees a mini-program's scope with its purpose text and state, and one click withdraws it, one click allows it
 * again (the same properties as {@link ShellPasskeyBrowserTest}, so the two share one server).
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.host.demo-users=true")
class ShellConsentSettingsBrowserTest {
    private static final MiniProgramId MAPS = MiniProgramId.of("com.example.browser-maps");

    @Autowired TestHttps https;
    @Autowired JdbcConsentLedger ledger;
    @Autowired PairwiseIds pairwise;

    @Test
    void oneClickWithdrawsAScopeAndOneClickAllowsItAgain() throws Exception {
        String alice = pairwise.runtimeUserId(MAPS, new ShellUserId("demo-alice"));
        PrivacyDigest privacy = PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location", List.of("wx.getLocation"),
                "Find <b>stores</b> near you")));
        ledger.record(MAPS.value(), alice, new ConsentLedger.Topic("scope.userLocation", "Find <b>stores</b> near you", privacy), true);
        String row = "section[data-app='com.example.browser-maps'] tr[data-scope='scope.userLocation']";
        try (TestChromium chromium = TestChromium.launch()) {
            Page page = chromium.anonymous().newPage();
            page.navigate(https.uri("/shell/demo").toString());
            page.waitForNavigation(() -> page.click("#demo-demo-alice"));
            page.navigate(https.uri("/shell/settings").toString());
            assertThat(page.getAttribute(row, "data-state")).as(page.content()).isEqualTo("allowed");
            assertThat(page.textContent(row + " .purpose")).as("the purpose, as text").contains("Find <b>stores</b> near you");
            assertThat(page.querySelector(row + " button.allow")).isNull();

            page.waitForNavigation(() -> page.click(row + " button.withdraw"));
            assertThat(page.getAttribute(row, "data-state")).isEqualTo("withdrawn");
            assertThat(page.textContent(row + " .state")).isEqualTo("Withdrawn");
            assertThat(ledger.decision(MAPS.value(), alice, "scope.userLocation", privacy)).hasValue(false);
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-settings-consent.png")).setFullPage(true));

            page.waitForNavigation(() -> page.click(row + " button.allow"));
            assertThat(page.getAttribute(row, "data-state")).isEqualTo("allowed");
            assertThat(ledger.decision(MAPS.value(), alice, "scope.userLocation", privacy)).hasValue(true);
            assertThat(TestChromium.cspViolations(page)).isEmpty();
        }
    }
}
