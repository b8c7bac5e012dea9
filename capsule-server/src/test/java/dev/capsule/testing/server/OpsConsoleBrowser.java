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

/**
 * Debian's headless Chromium driven by Playwright for the console's operations pages (audit log, dashboard, keys):
 * browser contexts holding a signed-in operator's session cookie, a recorder of the page's Content-Security-Policy
 * violations ({@code securitypolicyviolation} events, collected from the first script on), and the screenshot folder
 * ({@code target/console-screenshots}). Fails, never skips, without {@code /usr/bin/chromium}.
 */
public final class OpsConsoleBrowser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    /** Runs in every page before its own scripts (through the DevTools protocol, so the page's CSP does not apply to it). */
    private static final String CSP_RECORDER = """
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation',
                e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
            """;

    private final Playwright playwright;
    private final Browser browser;

    private OpsConsoleBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static OpsConsoleBrowser launch() {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium").isTrue();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new OpsConsoleBrowser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A context holding the operator's session cookie, with or without JavaScript, recording CSP violations. */
    public BrowserContext signedIn(SignedInOperators.Session session, boolean javaScript) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
                .setJavaScriptEnabled(javaScript).setViewportSize(1280, 900));
        String[] cookie = session.headers()[1].split("=", 2);
        context.addCookies(List.of(new Cookie(cookie[0], cookie[1]).setDomain("localhost").setPath("/").setSecure(true).setHttpOnly(true)));
        context.addInitScript(CSP_RECORDER);
        return context;
    }

    /** The CSP violations the page reported so far. */
    @SuppressWarnings("unchecked")
    public static List<String> cspViolations(Page page) {
        return (List<String>) page.evaluate("() => window.__cspViolations");
    }

    public static Path screenshot(Page page, String name) throws IOException {
        Path file = Files.createDirectories(Path.of("target", "console-screenshots")).resolve(name);
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
}
