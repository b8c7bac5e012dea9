package dev.capsule.testing.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.capsule.server.identity.internal.SignedInOperators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way the server's browser tests drive Debian's headless Chromium through Playwright: {@link #launch()} (fails,
 * never skips, without {@code /usr/bin/chromium}; never downloads a browser), browser contexts carrying the test
 * {@link #INSTRUMENTATION} (optionally holding a signed-in operator's session cookie), reading what the instrumentation
 * recorded, and full-page screenshots into {@code target/console-screenshots}.
 */
public final class TestChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** No sandbox (containers), no GPU, no network of Chromium's own, and unhinted fonts so pixels compare across runs. */
    public static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--font-render-hinting=none");
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    /**
     * Test instrumentation, not part of any page; it runs in every page before the page's own scripts (through the
     * DevTools protocol, so the page's CSP does not apply to it): records Content-Security-Policy violations
     * ({@code window.__cspViolations}), turns {@code alert}/{@code confirm}/{@code prompt} into the
     * {@code window.__pwned} canary, and keeps the last shadow root attached ({@code window.__shadow}, even a closed
     * one, and its {@code window.__shadowMode}) so a test can read what a guest's DOM became.
     */
    public static final String INSTRUMENTATION = """
            (() => {
              window.__cspViolations = [];
              document.addEventListener('securitypolicyviolation', (e) =>
                window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
              window.alert = window.confirm = window.prompt = () => { window.__pwned = 'dialog'; };
              const attach = Element.prototype.attachShadow;
              Element.prototype.attachShadow = function (init) {
                const root = attach.call(this, init);
                window.__shadowMode = init.mode;
                window.__shadow = root;
                return root;
              };
            })();
            """;

    private final Playwright playwright;
    private final Browser browser;

    private TestChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Chromium; fails (never skips) when {@code /usr/bin/chromium} is missing. */
    public static TestChromium launch() {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium").isTrue();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new TestChromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A context with {@code options}, carrying the {@link #INSTRUMENTATION}. */
    public BrowserContext context(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        context.addInitScript(INSTRUMENTATION);
        return context;
    }

    /** A context without a session that accepts the test server's self-signed certificate. */
    public BrowserContext anonymous() {
        return context(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
    }

    /** A context holding the operator's session cookie, with or without JavaScript, 1280×900. */
    public BrowserContext signedIn(SignedInOperators.Session session, boolean javaScript) {
        BrowserContext context = context(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
                .setJavaScriptEnabled(javaScript).setViewportSize(1280, 900));
        String[] cookie = session.headers()[1].split("=", 2);
        context.addCookies(List.of(new Cookie(cookie[0], cookie[1]).setDomain("localhost").setPath("/").setSecure(true).setHttpOnly(true)));
        return context;
    }

    /** The CSP violations the page reported so far. */
    @SuppressWarnings("unchecked")
    public static List<String> cspViolations(Page page) {
        return (List<String>) page.evaluate("() => window.__cspViolations");
    }

    /** The {@code window.__pwned} canary: null unless something ran that must not have. */
    public static Object pwned(Page page) {
        return page.evaluate("() => window.__pwned");
    }

    /** A full-page screenshot in {@code target/console-screenshots}. */
    public static Path screenshot(Page page, String name) throws IOException {
        return screenshot(page, SCREENSHOTS, name);
    }

    /** A full-page screenshot in {@code directory} (created if missing). */
    public static Path screenshot(Page page, Path directory, String name) throws IOException {
        Path file = Files.createDirectories(directory).resolve(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }

    /**
     * One Chromium for a whole test class: {@code @RegisterExtension static final TestChromium.PerClass chromium = new
     * TestChromium.PerClass();} launches it before the class's first test and closes it after its last.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private TestChromium chromium;

        @Override
        public void beforeAll(ExtensionContext extension) {
            chromium = launch();
        }

        @Override
        public void afterAll(ExtensionContext extension) {
            if (chromium != null) {
                chromium.close();
            }
        }

        public BrowserContext context(Browser.NewContextOptions options) {
            return chromium.context(options);
        }

        public BrowserContext signedIn(SignedInOperators.Session session, boolean javaScript) {
            return chromium.signedIn(session, javaScript);
        }
    }
}
