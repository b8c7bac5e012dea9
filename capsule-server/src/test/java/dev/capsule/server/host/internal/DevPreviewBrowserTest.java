package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code capsule dev DIR} end to end: the real server with a preview directory (a copy of examples/todo), demo users,
 * in-process sessions and 127.0.0.1 only, as {@code ServeOptions.parseDev} sets them; the /dev page in Debian's Chromium.
 * A saved file is on the page in under a second (the numbers go to target/dev-preview-latency.txt and
 * docs/benchmarks.md); a build error is shown at its position while the last good package keeps running; the panel
 * shows the session's dev frames. Screenshots in target/dev-preview-screenshots. Fails, never skips, without Chromium.
 */
@CapsuleServerTest
@TestPropertySource(properties = {"capsule.host.demo-users=true", "capsule.host.isolation=in-process", "server.address=127.0.0.1"})
class DevPreviewBrowserTest {
    /**
     * Saves measured. The times are written to target/dev-preview-latency.txt for docs/benchmarks.md, not asserted: a
     * timed assertion would fail on a loaded machine for a reason the test does not test (each save must still reach
     * the page within the wait below).
     */
    static final int SAVES = 7;
    static final Path SCREENSHOTS = Path.of("target", "dev-preview-screenshots");

    static Path dir;

    @DynamicPropertySource
    static void preview(DynamicPropertyRegistry registry) throws IOException {
        dir = Files.createTempDirectory("capsule-dev-preview");
        Path from = Path.of("../examples/todo");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = dir.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        registry.add("capsule.host.preview-directory", dir::toString);
    }

    @Autowired TestHttps https;

    @RegisterExtension static final TestChromium.PerClass chromium = new TestChromium.PerClass();

    @Test
    void everySavedChangeReachesThePageAndThePanelShowsTheSession() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = open(context);
            List<Long> millis = new ArrayList<>();
            Path wxml = dir.resolve("pages/index/index.wxml");
            String original = Files.readString(wxml);
            for (int i = 1; i <= SAVES; i++) {
                String marker = "About this app, edit " + i;
                long started = System.nanoTime();
                Files.writeString(wxml, original.replace("About this app", marker));
                page.waitForFunction("(m) => window.__shadow && window.__shadow.textContent.includes(m)", marker,
                        new Page.WaitForFunctionOptions().setPollingInterval(5).setTimeout(15_000));
                millis.add((System.nanoTime() - started) / 1_000_000L);
            }
            List<Long> sorted = millis.stream().sorted().toList();
            long median = sorted.get(sorted.size() / 2);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "dev-preview-latency.txt"), "save -> page updated (ms), " + SAVES + " saves of "
                    + "examples/todo pages/index/index.wxml, in-process sessions: " + millis + "; median " + median + "; max "
                    + sorted.getLast() + "\n");

            // The panel: a separator for each new session, the page's data, the connection.
            page.waitForFunction("() => document.querySelectorAll('#capsule-dev-console .capsule-dev-separator').length >= 1");
            assertThat(page.textContent("#capsule-dev-connection")).isEqualTo("open");
            assertThat(page.textContent("#capsule-dev-app")).isEqualTo("com.example.todo");
            page.click("#capsule-dev-tab-data");
            page.waitForFunction("() => document.getElementById('capsule-dev-data-json').textContent.includes('todos')");
            assertThat(page.textContent("#capsule-dev-data-route")).isEqualTo("pages/index/index");
            TestChromium.screenshot(page, SCREENSHOTS, "dev-preview.png");
            assertThat(TestChromium.cspViolations(page)).isEmpty();
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
        }
    }

    @Test
    void aBuildErrorIsShownAtItsPositionWhileTheLastGoodPackageKeepsRunning() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = open(context);
            Path js = dir.resolve("pages/about/about.js");
            String good = Files.readString(js);
            try {
                Files.writeString(js, "Page({\n  data: {,\n});\n");
                page.waitForSelector("#capsule-dev-error");
                assertThat(page.textContent("#capsule-dev-error .capsule-dev-error-where")).startsWith("pages/about/about.js:2:");
                assertThat(page.textContent("#capsule-dev-error")).doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(page.textContent("#capsule-dev-console")).contains("failed: pages/about/about.js:2:");
                assertThat(page.evaluate("() => window.__shadow.textContent.includes('About this app')")).isEqualTo(true);
                TestChromium.screenshot(page, SCREENSHOTS, "dev-preview-build-error.png");
            } finally {
                Files.writeString(js, good);
            }
            page.waitForSelector("#capsule-dev-error", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            assertThat(TestChromium.cspViolations(page)).isEmpty();
        }
    }

    @Test
    void theBuildStatusNeedsTheDemoSessionThePageGives() {
        HttpResponse<String> anonymous = https.get("/dev/build?after=0");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> page = https.get("/dev");
        assertThat(page.statusCode()).isEqualTo(200);
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(ShellCookie.NAME + "="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("Secure", "HttpOnly", "SameSite=Strict");
        HttpResponse<String> status = https.get("/dev/build?after=-1", "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(TestHttps.json(status).path("app").asString()).isEqualTo("com.example.todo");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .contains("require-trusted-types-for 'script'");
    }

    /**
     * The preview page carries the demo session's CSRF token as the shell's app page does, so the payment sheet's card
     * form is accepted by POST /shell/cards: with the page's token the card endpoint gets past the origin and token
     * checks (409: no payment sheet of a merchant is open, the next check), with another token it refuses (403).
     */
    @Test
    void thePreviewPageCarriesTheSessionsCsrfTokenTheCardEndpointAccepts() {
        HttpResponse<String> page = https.get("/dev");
        assertThat(page.statusCode()).isEqualTo(200);
        String session = dev.capsule.server.host.ShellHttp.cookieSetBy(page);
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("data-shell-csrf=\"([A-Za-z0-9_-]{43})\"").matcher(page.body());
        assertThat(token.find()).as("data-shell-csrf on the preview page").isTrue();
        String card = "{\"merchant\":\"" + dev.capsule.server.payments.MerchantId.random().value()
                + "\",\"number\":\"4242 4242 4242 4242\",\"expiry\":\"12/40\",\"name\":\"Ada\"}";
        java.util.function.Function<String, HttpResponse<String>> post = csrf -> https.send(https.request("/shell/cards")
                .header("Content-Type", "application/json").header("Cookie", ShellCookie.NAME + "=" + session)
                .header("Origin", dev.capsule.server.host.ShellHttp.origin(https)).header("X-Shell-Csrf", csrf)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(card)).build());
        dev.capsule.server.host.ShellHttp.assertProblem(post.apply(token.group(1)), 409, "no-open-payment-sheet");
        dev.capsule.server.host.ShellHttp.assertProblem(post.apply((token.group(1).charAt(0) == 'x' ? "y" : "x") + token.group(1).substring(1)), 403, "shell-csrf-token-invalid");

        // A browser that already holds a demo session gets that session's token.
        HttpResponse<String> again = https.get("/dev", "Cookie", ShellCookie.NAME + "=" + session);
        assertThat(again.body()).contains("data-shell-csrf=\"" + token.group(1) + "\"");
    }

    private BrowserContext newContext() {
        return chromium.context(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true).setViewportSize(1280, 900));
    }

    private Page open(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(https.uri("/dev").toString());
        page.waitForFunction("() => window.__shadow && window.__shadow.textContent.includes('About this app')", null,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        return page;
    }
}
