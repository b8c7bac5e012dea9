package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Passkeys for the payment sheet's step-up, in Debian's Chromium against the real server, with a virtual authenticator
 * through the DevTools protocol ({@code WebAuthn.enable}, {@code WebAuthn.addVirtualAuthenticator}): a shell user adds a
 * passkey on {@code /shell/settings} (the page's {@code passkeys.js}, the server verifying the registration with
 * webauthn4j), then {@link HostPayerStepUp} asks for it, the browser's assertion verifies for exactly that payer and
 * intent once, and neither a replay on a new challenge nor another payer nor another intent is accepted.
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.host.demo-users=true")
class ShellPasskeyBrowserTest {
    static final String ASSERT = """
            async (text) => JSON.stringify((await navigator.credentials.get({
              publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(text))})).toJSON())
            """;

    @Autowired TestHttps https;
    @Autowired HostPayerStepUp stepUp;

    @Test
    void aPasskeyAddedInSettingsConfirmsExactlyOneChallengeOfItsPayerAndIntent() throws Exception {
        try (TestChromium chromium = TestChromium.launch()) {
            BrowserContext context = chromium.anonymous();
            Page page = context.newPage();
            CDPSession cdp = context.newCDPSession(page);
            cdp.send("WebAuthn.enable");
            JsonObject options = new JsonObject();
            options.addProperty("protocol", "ctap2");
            options.addProperty("transport", "internal");
            options.addProperty("hasResidentKey", true);
            options.addProperty("hasUserVerification", true);
            options.addProperty("isUserVerified", true);
            options.addProperty("automaticPresenceSimulation", true);
            JsonObject authenticator = new JsonObject();
            authenticator.add("options", options);
            cdp.send("WebAuthn.addVirtualAuthenticator", authenticator);

            page.navigate(https.uri("/shell/demo").toString());
            page.waitForNavigation(() -> page.click("#demo-demo-carol"));
            page.navigate(https.uri("/shell/settings").toString());
            assertThat(page.querySelector("#add-passkey")).as(page.url() + "\n" + page.content()).isNotNull();
            int before = page.querySelectorAll("tr.passkey").size();
            // passkeys.js reloads the page once the server kept the passkey (and otherwise says why in #passkey-status).
            page.waitForNavigation(() -> page.click("#add-passkey"));
            assertThat(page.querySelectorAll("tr.passkey")).hasSize(before + 1);
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-settings-passkeys.png")).setFullPage(true));
            assertThat(TestChromium.cspViolations(page)).isEmpty();

            PayerId carol = new PayerId("demo-carol");
            PaymentIntentId intent = PaymentIntentId.random();
            JsonNode challenge = stepUp.challenge(carol, intent).orElseThrow();
            assertThat(challenge.get("kind").asString()).as("a payer with a passkey is asked for it").isEqualTo("passkey");
            String assertion = (String) page.evaluate(ASSERT, challenge.get("publicKey").toString());
            JsonNode answer = Wire.JSON.readTree(assertion);

            assertThat(stepUp.verify(carol, PaymentIntentId.random(), answer)).as("another intent").isFalse();
            assertThat(stepUp.verify(new PayerId("demo-bob"), intent, answer)).as("another payer").isFalse();
            assertThat(stepUp.verify(carol, intent, answer)).isTrue();
            assertThat(stepUp.verify(carol, intent, answer)).as("the challenge is used up").isFalse();
            stepUp.challenge(carol, intent);
            assertThat(stepUp.verify(carol, intent, answer)).as("an old assertion does not answer a new challenge").isFalse();
            JsonNode again = stepUp.challenge(carol, intent).orElseThrow();
            assertThat(stepUp.verify(carol, intent, Wire.JSON.readTree((String) page.evaluate(ASSERT, again.get("publicKey").toString()))))
                    .as("a fresh assertion does").isTrue();
        }
    }
}
