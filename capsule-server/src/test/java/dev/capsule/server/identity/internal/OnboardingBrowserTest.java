package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.server.access.Role;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole onboarding in a real browser (Debian's headless Chromium driven by Playwright for Java)
 * against the real HTTPS server: one-time password, password change, TOTP enrolment from the secret on
 * the page, recovery codes, sign-out, sign-in with TOTP, then with a recovery code. Fails, never skips,
 * without /usr/bin/chromium ({@code apt-get install chromium}; {@code .ci/run} installs it).
 */
@IdentityServerTest
class OnboardingBrowserTest {
    private static final String NEW_PASSWORD = "my own browser passphrase";

    @Autowired TestHttps https;
    @Autowired OperatorStore store;
    @Autowired Passwords passwords;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void operatorOnboardsAndSignsInWithTotpAndARecoveryCodeInChromium() throws Exception {
        // In the state the bootstrap admin starts in: a one-time password, no MFA.
        String username = "browser-admin";
        String oneTime = passwords.oneTimePassword();
        store.insert(UUID.randomUUID(), username, passwords.hash(oneTime), Set.of(Role.PLATFORM_ADMIN), Instant.now());

        try (TestChromium chromium = TestChromium.launch();
                BrowserContext context = chromium.anonymous()) {
            Page page = context.newPage();
            page.navigate(https.uri("/console/").toString());
            assertThat(page.url()).as("a console page without a session goes to sign-in").endsWith("/console/sign-in");

            signIn(page, username, oneTime);
            page.waitForURL("**/console/password");
            page.fill("#current-password", oneTime);
            page.fill("#new-password", "password1234");
            page.fill("#confirm-password", "password1234");
            page.click("#change-password");
            assertThat(page.textContent("#error")).as("a common password is refused").contains("common");
            page.fill("#current-password", oneTime);
            page.fill("#new-password", NEW_PASSWORD);
            page.fill("#confirm-password", NEW_PASSWORD);
            page.click("#change-password");

            page.waitForURL("**/console/mfa");
            assertThat((Integer) page.locator("#qr-code").evaluate("image => image.naturalWidth")).as("the QR code image loads").isGreaterThan(100);
            assertThat(page.textContent("#otpauth-uri")).startsWith("otpauth://totp/Capsule:" + username + "?secret=");
            TestChromium.screenshot(page, "enrol-mfa.png");
            ConsoleEnrolment.Enrolled enrolled = ConsoleEnrolment.enrol(page, this::code, "recovery-codes.png");
            TotpSecret secret = enrolled.secret();
            List<String> recoveryCodes = enrolled.recoveryCodes();
            assertThat(page.textContent("#username")).isEqualTo(username);
            assertThat(page.textContent("#roles")).isEqualTo("platform-admin");

            page.click("#sign-out");
            page.waitForURL("**/console/sign-in?outcome=signed-out");
            page.navigate(https.uri("/console/").toString());
            assertThat(page.url()).as("signed out for real").endsWith("/console/sign-in");

            clock.advance(Duration.ofSeconds(30)); // the enrolment used this step's code
            signIn(page, username, NEW_PASSWORD);
            page.waitForURL("**/console/second-factor");
            page.fill("#code", code(secret));
            page.click("#verify");
            page.waitForURL("**/console/");
            assertThat(page.textContent("#recovery-codes-left")).isEqualTo("10");
            page.click("#sign-out");
            page.waitForURL("**/console/sign-in?outcome=signed-out");

            signIn(page, username, NEW_PASSWORD);
            page.waitForURL("**/console/second-factor");
            page.click("#use-recovery");
            page.waitForURL("**/console/recovery");
            page.fill("#code", recoveryCodes.get(0));
            page.click("#verify");
            page.waitForURL("**/console/");
            assertThat(page.textContent("#recovery-codes-left")).isEqualTo("9");

            page.click("#sign-out");
            signIn(page, username, NEW_PASSWORD);
            page.waitForURL("**/console/second-factor");
            page.click("#use-recovery");
            page.fill("#code", recoveryCodes.get(0));
            page.click("#verify");
            page.waitForURL("**/console/sign-in?outcome=failed");
            assertThat(page.textContent("#message")).as("a used recovery code fails").contains("Sign-in failed");
        }
    }

    private static void signIn(Page page, String username, String password) {
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("#sign-in");
    }

    private String code(TotpSecret secret) {
        return TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant());
    }
}
