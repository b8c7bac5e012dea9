package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.ScreenshotCaret;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.server.registry.TestAdvisories;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The shell end to end through the real server, with nothing standing in: a developer organisation's mini-program
 * is signed, uploaded, reviewed and approved (released) through the registry's API by real operators; a super-app
 * backend holding an API key with {@code sessions.open} obtains a grant for one of its users; Debian's Chromium
 * enters the shell with it (the grant's {@code enterUrl}, exchanged for the {@code __Host-} cookie) and drives the
 * page as a user does. An init script (test instrumentation, not part of any page) counts the page's
 * {@code securitypolicyviolation} events, turns {@code alert}/{@code confirm}/{@code prompt} into the
 * {@code window.__pwned} canary and keeps a reference to the frame's closed shadow root so the test can read and
 * click the guest's DOM (Playwright's locators do not enter closed roots).
 */
final class ReleasedShell implements AutoCloseable {

    final TestHttps https;
    final RegistryFixture registry;
    final MeterRegistry meters;
    final TestChromium chromium;
    final BrowserContext context;
    final Page page;
    /** Every {@code open} frame the server sent the page, in order (read off the real socket, not routed). */
    final List<JsonNode> opens = new ArrayList<>();
    /** The type of every frame the server sent, with its start, for failure messages. */
    final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SignedInOperators.Session reviewer;
    private String sessionsKey;

    ReleasedShell(TestHttps https, ApplicationContext spring) {
        this.https = https;
        this.meters = spring.getBean(MeterRegistry.class);
        TestAdvisories.imported(spring);
        this.registry = new RegistryFixture(https, spring);
        this.reviewer = registry.operators.signIn("shell-e2e-reviewer", Role.REVIEWER);
        chromium = TestChromium.launch();
        context = chromium.context(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true).setViewportSize(800, 900));
        page = context.newPage();
        page.onWebSocket(ws -> ws.onFrameReceived(frame -> {
            JsonNode json = ShellBrowser.JSON.readTree(frame.text());
            frames.add(frame.text().substring(0, Math.min(frame.text().length(), 400)));
            if (json.path("t").asString().equals("open")) {
                opens.add(json);
            }
        }));
    }

    /**
     * A new verified organisation's mini-program, version 1.0.0: examples/todo under the organisation's app id with
     * {@code changes} (path → text, given the app id) applied, developer-signed, uploaded with the organisation's
     * API key, approved by a reviewer who is not the submitter, which releases it.
     */
    RegistryFixture.Developer released(String preset, Function<String, Map<String, String>> changes) {
        return released("todo", preset, changes);
    }

    /** As {@link #released(String, Function)}, for the example mini-program {@code examples/<example>}. */
    RegistryFixture.Developer released(String example, String preset, Function<String, Map<String, String>> changes) {
        RegistryFixture.Developer developer = registry.developer(example);
        byte[] pkg = RegistryFixture.signed(developer.key(), example, developer.appId(), "1.0.0", changes.apply(developer.appId()));
        String version = registry.submitted(developer, pkg);
        HttpResponse<String> approved = registry.approve(version, preset, reviewer);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        return developer;
    }

    /** The super-app backend: a grant for {@code user} with its {@code sessions.open} key; the URL the browser enters by. */
    String enterUrl(String user) {
        if (sessionsKey == null) {
            sessionsKey = registry.platformApiKey("sessions.open");
        }
        HttpResponse<String> grant = registry.post("/api/v1/session-grants", "{\"user\": \"" + user + "\"}",
                "Authorization", "Bearer " + sessionsKey);
        assertThat(grant.statusCode()).as(grant.body()).isEqualTo(201);
        return TestHttps.json(grant).get("enterUrl").asString();
    }

    /** Enters the shell as {@code user} and waits for the list. */
    void enter(String user) {
        page.navigate(enterUrl(user));
        page.waitForURL("**/shell");
        page.waitForSelector("h1");
    }

    /**
     * Opens a listed mini-program by clicking it and waits for its first page; on a first launch the shell shows the
     * privacy label first, and this continues past it.
     */
    void open(String appId, String route) {
        page.click("li.app[data-app='" + appId + "'] a.open");
        page.waitForURL(url -> url.endsWith("/shell/apps/" + appId) || url.endsWith("/shell/apps/" + appId + "/privacy"));
        if (page.url().endsWith("/privacy")) {
            page.click("#label-continue");
        }
        page.waitForURL("**/shell/apps/" + appId);
        waitForRoute(route);
    }

    /**
     * How long a page may take to show its route: a context's first launch starts a sandboxed worker process, which on a
     * loaded two-core machine sometimes took more than Playwright's default of 30 s in suite runs (the hostile
     * mini-program's test failed so). A wait, not a performance assertion.
     */
    static final double ROUTE_WAIT_MILLIS = 90_000;

    void waitForRoute(String route) {
        page.waitForFunction("(r) => document.body.dataset.capsuleRoute === r && window.__shadow", route,
                new Page.WaitForFunctionOptions().setTimeout(ROUTE_WAIT_MILLIS));
    }

    /** Waits until {@code condition} holds in the page; on a timeout, says what the guest's DOM was. */
    void waitFor(String condition) {
        try {
            page.waitForFunction("() => " + condition, null, new Page.WaitForFunctionOptions().setTimeout(15_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            String dom = String.valueOf(page.evaluate("() => { try { return (" + ShellBrowser.SERIALIZE + ")(); } catch (x) { return String(x); } }"));
            throw new AssertionError("never true: " + condition + "; the guest's DOM: " + dom.substring(0, Math.min(dom.length(), 6000))
                    + "; the server's last frames: " + frames.subList(Math.max(0, frames.size() - 6), frames.size()), e);
        }
    }

    /**
     * The guest's text with all whitespace removed (texts of neighbouring elements join without a separator in the
     * DOM, so "[ ]" and "Buy milk" read "[ ]Buy milk"; comparing without whitespace keeps the checks about content).
     */
    String guestText() {
        return compact((String) page.evaluate("() => window.__shadow.lastElementChild.textContent"));
    }

    static String compact(String text) {
        return text.replaceAll("\\s+", "");
    }

    /** Waits until the guest's text contains {@code text} (whitespace ignored); on a timeout, says what it read. */
    void waitForGuestText(String text) {
        try {
            page.waitForFunction("(t) => window.__shadow && window.__shadow.lastElementChild"
                    + " && window.__shadow.lastElementChild.textContent.replace(/\\s+/g, '').includes(t)", compact(text),
                    new Page.WaitForFunctionOptions().setTimeout(15_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("the guest never read " + text + "; it reads: " + guestText(), e);
        }
    }

    /** The viewport rectangle of the first guest element matching {@code selector} inside the shadow root. */
    double[] guestRect(String selector) {
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) page.evaluate("(s) => { const b = window.__shadow.querySelector(s).getBoundingClientRect(); "
                + "return [b.x, b.y, b.width, b.height]; }", selector);
        return r.stream().mapToDouble(Number::doubleValue).toArray();
    }

    /** The rectangle of the innermost guest element whose own text is exactly {@code text}. */
    double[] guestRectOfText(String text) {
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) page.evaluate("""
                (t) => {
                  const all = [...window.__shadow.querySelectorAll('*')].filter((e) => e.textContent.trim() === t);
                  const inner = all.filter((e) => !all.some((o) => o !== e && e.contains(o)));
                  if (inner.length !== 1) throw new Error(inner.length + ' guest elements read ' + t);
                  const b = inner[0].getBoundingClientRect();
                  return [b.x, b.y, b.width, b.height];
                }
                """, text);
        return r.stream().mapToDouble(Number::doubleValue).toArray();
    }

    /** Clicks the centre of a rectangle with the mouse, as a user does. */
    void click(double[] r) {
        page.mouse().click(r[0] + r[2] / 2, r[1] + r[3] / 2);
    }

    double[] box(String selector) {
        var b = page.locator(selector).boundingBox();
        return new double[] {b.x, b.y, b.width, b.height};
    }

    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return TestChromium.cspViolations(page);
    }

    /** The server's count of CSP reports received ({@code capsule.csp.reports}, every directive). */
    double cspReports() {
        return meters.find("capsule.csp.reports").counters().stream().mapToDouble(Counter::count).sum();
    }

    Object pwned() {
        return TestChromium.pwned(page);
    }

    byte[] screenshot(String name) throws Exception {
        return page.screenshot(new Page.ScreenshotOptions().setPath(Files.createDirectories(TestChromium.SCREENSHOTS).resolve(name))
                .setAnimations(ScreenshotAnimations.DISABLED).setCaret(ScreenshotCaret.HIDE));
    }

    @Override
    public void close() {
        chromium.close();
    }
}
