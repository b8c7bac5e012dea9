package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.server.access.Role;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The console dashboard in Debian's Chromium: the counts of sessions opened, violations by kind and denials grow by
 * exactly what was recorded in the audit log; uPlot (served by the server from its webjar) draws the three charts from
 * the page's tables through the external dashboard.js with zero Content-Security-Policy violations; without JavaScript
 * the same numbers are the page's tables.
 */
@CapsuleServerTest
class DashboardBrowserTest {
    @RegisterExtension static final TestChromium.PerClass chromium = new TestChromium.PerClass();

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired AuditSink sink;
    @Autowired PendingQueue queue;
    @Autowired Sequencer sequencer;
    @Autowired AuditStatistics statistics;

    @Test
    void theChartsShowWhatTheLogRecordedWithUplotFromTheServerAndNoCspViolation() throws Exception {
        SignedInOperators operators = new SignedInOperators(context, https);
        SignedInOperators.Session auditor = operators.signIn("dashboard-auditor", Role.AUDITOR);
        sequencer.run(true);
        AuditStatistics.Dashboard before = statistics.dashboard(AuditStatistics.Range.DAY, Instant.now());

        for (String kind : List.of("cpu", "cpu", "memory")) {
            sink.record(new AuditEvent(Instant.now(), "wx-dashboard-app", "user-2", "violation", kind, "limit reached"));
        }
        sink.record(new AuditEvent(Instant.now(), "wx-dashboard-app", "user-2", "violation", "<script>not-a-kind</script>", "x"));
        for (int i = 0; i < 3; i++) {
            sink.record(new AuditEvent(Instant.now(), "wx-dashboard-app", "user-2", "wx.request", "denied", "host not allowed"));
        }
        sink.record(new AuditEvent(Instant.now(), "wx-dashboard-app", "user-2", "wx.request", "status 200", "example.com"));
        for (int i = 0; i < 2; i++) {
            assertThat(https.get("/api/v1/keys", auditor.headers()).statusCode()).as("an auditor may not list keys").isEqualTo(403);
        }
        UUID session = UUID.randomUUID();
        // A host session-opening entry, as the host module's listener writes it (its type code, before or after the catalogue has it).
        queue.add(session, EntryFields.legacy(session, "session.open").outcome(SecurityEvent.Outcome.SUCCESS).app("wx-dashboard-app"));
        sequencer.run(true);
        long sessionsAdded = 1;

        try (BrowserContext browser = chromium.signedIn(auditor, true)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/dashboard").toString());
            page.waitForSelector(".chart.drawn canvas");
            assertThat(page.locator(".chart.drawn").count()).as("sessions, violations and denials charts").isEqualTo(3);
            assertThat(page.locator("details.numbers:not([open])").count()).as("the tables fold away under their charts").isEqualTo(3);
            assertThat(page.locator(".chart.drawn .u-legend").allTextContents()).anySatisfy(legend -> assertThat(legend).contains("cpu"));
            assertThat(count(page, "#violation-totals tr[data-kind='cpu'] .count")).isEqualTo(total(before, "cpu") + 2);
            assertThat(count(page, "#violation-totals tr[data-kind='memory'] .count")).isEqualTo(total(before, "memory") + 1);
            assertThat(count(page, "#violation-totals tr[data-kind='other'] .count")).as("an unknown kind is never a label")
                    .isEqualTo(total(before, "other") + 1);
            assertThat(page.content()).doesNotContain("not-a-kind");
            assertThat(count(page, "#api-denials-total")).isEqualTo(before.apiDenialsTotal() + 3);
            assertThat(count(page, "#access-denials-total")).isEqualTo(before.accessDenialsTotal() + 2);
            assertThat(count(page, "#sessions-total")).isEqualTo(before.sessionsTotal() + sessionsAdded);
            assertThat(page.locator("#sessions-absent").count()).isZero();

            @SuppressWarnings("unchecked")
            List<String> scripts = (List<String>) page.evaluate("() => Array.from(document.scripts).map(s => s.src)");
            assertThat(scripts).containsExactly(https.uri("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").toString(),
                    https.uri("/console/dashboard.js").toString());
            assertThat(page.locator("script:not([src])").count()).as("no inline script").isZero();
            assertThat(page.locator("[style]").evaluateAll("els => els.filter(e => !e.closest('.uplot')).length"))
                    .as("no inline style attribute outside what uPlot sets through the CSSOM").isEqualTo(0);
            assertThat(TestChromium.cspViolations(page)).isEmpty();
            TestChromium.screenshot(page, "dashboard.png");

            page.navigate(https.uri("/console/dashboard?range=7d").toString());
            page.waitForSelector(".chart.drawn canvas");
            assertThat(page.locator("#denials-table tbody tr").count()).isEqualTo(28);
            assertThat(TestChromium.cspViolations(page)).isEmpty();
        }
        HttpResponse<String> uplot = https.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", auditor.headers());
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(https.get("/console/dashboard?range=1y", auditor.headers()).statusCode()).isEqualTo(400);
    }

    @Test
    void withoutJavaScriptTheNumbersAreThePagesTables() throws Exception {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("dashboard-noscript", Role.AUDITOR);
        try (BrowserContext browser = chromium.signedIn(auditor, false)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/dashboard").toString());
            assertThat(page.locator("canvas").count()).isZero();
            assertThat(page.locator("#sessions-table tbody tr").count()).isEqualTo(24);
            assertThat(page.locator("#denials-table tbody tr").count()).isEqualTo(24);
            assertThat(page.locator("#denials-table thead th").allTextContents())
                    .containsExactly("Bucket start", "Access denied", "Mini-program API denied");
            assertThat(page.locator("#denials-table").isVisible()).isTrue();
            assertThat(page.locator("details.numbers[open]").count()).isEqualTo(page.locator("details.numbers").count());
            TestChromium.screenshot(page, "dashboard-no-script.png");
        }
    }

    /** When the range reaches further back than the entries one request scans, the dashboard says since when it is complete. */
    @Test
    void aRangeBeyondTheScannedEntriesSaysSinceWhenItsCountsAreComplete() {
        for (int i = 0; i < 3; i++) {
            sink.record(new AuditEvent(Instant.now(), "wx-scan-app", "user-3", "violation", "timers", "limit reached"));
        }
        sequencer.run(true);
        AuditStatistics.Dashboard complete = statistics.dashboard(AuditStatistics.Range.DAY, Instant.now());
        assertThat(complete.completeSince()).as("every entry of this test database is younger than a day").isEmpty();
        AuditStatistics.Dashboard partial = new AuditStatistics(context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class),
                context.getBean(LogStore.class), 2).dashboard(AuditStatistics.Range.DAY, Instant.now());
        assertThat(partial.completeSince()).isPresent();
        assertThat(partial.completeSince().get()).isAfter(partial.from());
        assertThat(total(partial, "timers")).as("only the newest two entries were counted").isEqualTo(2);
        assertThat(total(complete, "timers")).isGreaterThanOrEqualTo(3);
    }

    /** The dashboard's script and the uPlot build it loads use no markup or code sink (what the CSP does not forbid by itself). */
    @Test
    void theChartScriptsUseNoMarkupOrCodeSinks() throws Exception {
        for (String resource : List.of("static/console/dashboard.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
            String script;
            try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertThat(script).as(resource).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "Function(");
        }
    }

    private static long count(Page page, String selector) {
        return Long.parseLong(page.textContent(selector).strip());
    }

    private static long total(AuditStatistics.Dashboard dashboard, String kind) {
        int at = dashboard.violationKinds().indexOf(kind);
        return at < 0 ? 0 : dashboard.violationTotals().get(at);
    }
}
