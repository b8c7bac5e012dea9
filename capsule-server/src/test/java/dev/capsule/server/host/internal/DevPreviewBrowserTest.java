package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--font-render-hinting=none");
    /**
     * Saves measured. The times are written to target/dev-preview-latency.txt for docs/benchmarks.md, not asserted: a
     * timed assertion would fail on a loaded machine for a reason the test does not test (each save must still reach
     * the page within the wait below).
     */
    static final int SAVES = 7;
    static final Path SCREENSHOTS = Path.of("target", "dev-preview-screenshots");
    /** Test instrumentation (not part of the page): CSP violations, the alert canary, the frame's closed shadow root. */
    static final String INSTRUMENTATION = """
            (() => {
              window.__cspViolations = [];
              document.addEventListener('securitypolicyviolation', (e) =>
                window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
              window.alert = () => { window.__pwned = 'alert'; };
              const attach = Element.prototype.attachShadow;
              Element.prototype.attachShadow = function (init) {
                const root = attach.call(this, init);
                window.__shadow = root;
                return root;
              };
            })();
            """;

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

    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void chromium() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium").isTrue();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(CHROMIUM_ARGS));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

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
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dev-preview.png")).setFullPage(true));
            assertThat(page.evaluate("() => window.__cspViolations")).asList().isEmpty();
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
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dev-preview-build-error.png")).setFullPage(true));
            } finally {
                Files.writeString(js, good);
            }
            page.waitForSelector("#capsule-dev-error", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            assertThat(page.evaluate("() => window.__cspViolations")).asList().isEmpty();
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

    private BrowserContext newContext() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true).setViewportSize(1280, 900));
        context.addInitScript(INSTRUMENTATION);
        return context;
    }

    private Page open(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(https.uri("/dev").toString());
        page.waitForFunction("() => window.__shadow && window.__shadow.textContent.includes('About this app')", null,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        return page;
    }
}
