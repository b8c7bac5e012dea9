package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.testing.server.TestChromium;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/** The console's authenticator enrolment as an operator goes through it, for the browser tests that onboard one. */
final class ConsoleEnrolment {
    private ConsoleEnrolment() {
    }

    /** What the operator holds afterwards. */
    record Enrolled(TotpSecret secret, List<String> recoveryCodes) {
    }

    /**
     * On {@code /console/mfa}: reads the secret the page shows, confirms it with a code computed from it, checks the
     * ten recovery codes the next page lists (saved as {@code screenshot}), and continues to the console's home.
     */
    static Enrolled enrol(Page page, Function<TotpSecret, String> code, String screenshot) throws IOException {
        TotpSecret secret = TotpSecret.fromBase32(page.textContent("#secret").replace(" ", ""));
        page.fill("#code", code.apply(secret));
        page.click("#confirm");
        List<String> recoveryCodes = page.locator("#recovery-codes li").allTextContents();
        assertThat(recoveryCodes).hasSize(10).allMatch(c -> c.matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}"));
        TestChromium.screenshot(page, screenshot);
        page.click("#continue");
        page.waitForURL("**/console/");
        return new Enrolled(secret, recoveryCodes);
    }
}
