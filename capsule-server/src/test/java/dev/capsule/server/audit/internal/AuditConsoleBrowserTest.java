package dev.capsule.server.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.AuditSink;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Role;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console's audit log pages in Debian's Chromium against the real HTTPS server: an auditor filters the log by type
 * and actor (a mini-program's hostile text shown as text), opens an entry with its inclusion proof in the latest signed
 * checkpoint, publishes a checkpoint from the page of an entry none covers yet, and runs the server-side verification;
 * malformed filters are a 400 naming the field; operators without {@code audit.read} get no page. Screenshots go to
 * {@code target/console-screenshots}.
 */
@CapsuleServerTest
class AuditConsoleBrowserTest {
    static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\">\u2028forged line";
    @RegisterExtension static final TestChromium.PerClass chromium = new TestChromium.PerClass();

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired ApplicationEventPublisher events;
    @Autowired AuditSink sink;
    @Autowired CheckpointPublisher checkpoints;
    @Autowired Sequencer sequencer;
    @Autowired TransactionTemplate transactions;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void anAuditorFiltersTheLogOpensAnEntryWithItsInclusionProofAndVerifiesTheLog() throws Exception {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("console-auditor", Role.AUDITOR);
        OperatorId subject = new OperatorId(UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            events.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_DISABLE, SecurityEvent.Outcome.SUCCESS,
                    new OperatorId(auditor.operatorId()), subject, "console-" + i, null));
        }
        sink.record(new AuditEvent(Instant.now(), "wx-console-app", "user-1", "wx.request", "denied", HOSTILE));
        checkpoints.publishNow();

        try (BrowserContext browser = chromium.signedIn(auditor, true)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/audit").toString());
            assertThat(page.locator("#entries tbody tr").count()).isPositive();
            TestChromium.screenshot(page, "audit.png");

            page.selectOption("#type", "runtime.call");
            page.click("#apply");
            page.waitForURL("**/console/audit?type=runtime.call**");
            @SuppressWarnings("unchecked")
            List<String> types = (List<String>) page.locator("#entries tbody tr").evaluateAll("rows => rows.map(r => r.dataset.type)");
            assertThat(types).isNotEmpty().containsOnly("runtime.call");
            assertThat(page.locator("#entries tr[data-type='runtime.call'] .detail").first().textContent())
                    .as("guest text is text, its line separator escaped").isEqualTo("<img src=x onerror=\"window.__pwned=1\">\\u2028forged line");
            assertThat(page.locator("#entries img").count()).isZero();
            assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            TestChromium.screenshot(page, "audit-filtered.png");

            page.navigate(https.uri("/console/audit?actor=" + auditor.operatorId() + "&type=operator.disable").toString());
            List<String> reasons = page.locator("#entries .reason").allTextContents();
            assertThat(reasons).containsExactly("console-2", "console-1", "console-0");
            assertThat(page.locator("#entries .actor").allTextContents()).allSatisfy(actor -> assertThat(actor.strip())
                    .isEqualTo(auditor.operatorId().toString()));

            page.locator("#entries tbody tr").first().locator("a.open").click();
            page.waitForURL("**/console/audit/entries/*");
            assertThat(page.textContent("#type")).isEqualTo("operator.disable");
            assertThat(page.textContent("tr[data-field='reason'] td")).isEqualTo("console-2");
            assertThat(page.textContent("#proof-result")).contains("leads from this entry to the root of the latest signed checkpoint");
            assertThat(page.getAttribute("#proof-result", "class")).isEqualTo("message");
            assertThat(page.locator("#proof li").count()).isPositive();
            assertThat(page.textContent("#checkpoint-note")).startsWith(context.getBean(dev.capsule.server.platform.LogOrigins.class).audit().name());
            TestChromium.screenshot(page, "audit-entry.png");

            page.navigate(https.uri("/console/audit/verification").toString());
            page.click("#verify");
            page.waitForSelector("#result");
            assertThat(page.getAttribute("#result", "data-valid")).isEqualTo("true");
            assertThat(page.textContent("#verdict")).isEqualTo("Intact");
            assertThat(page.textContent("#outcome")).contains("verified");
            assertThat(Long.parseLong(page.textContent("#verified-checkpoints"))).isPositive();
            TestChromium.screenshot(page, "audit-verification.png");
            assertThat(TestChromium.cspViolations(page)).isEmpty();
        }
    }

    @Test
    void anEntryNoCheckpointCoversYetGetsItsProofOncePublishedFromItsPage() throws Exception {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("console-publisher", Role.AUDITOR);
        try (BrowserContext browser = chromium.signedIn(auditor, true)) {
            Page page = browser.newPage();
            checkpoints.publishNow();
            events.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_ENABLE, SecurityEvent.Outcome.SUCCESS, null, null, "uncovered", null));
            sequencer.run(true);
            long index = context.getBean(LogStore.class).size() - 1;
            // The scheduled publisher (every 10 s) would cover the entry if it ran before the page is read: hold the
            // sequencer's lock, which every publication takes, until then.
            try (HeldSequencerLock held = new HeldSequencerLock()) {
                page.navigate(https.uri("/console/audit/entries/" + index).toString());
                assertThat(page.textContent("#not-covered")).contains("No signed checkpoint covers this entry yet");
                assertThat(page.locator("#proof").count()).isZero();
            }
            page.click("#publish");
            page.waitForURL("**/console/audit/entries/" + index);
            assertThat(page.getAttribute("#proof-result", "class")).isEqualTo("message");
            assertThat(Long.parseLong(page.textContent("#proof-size"))).isGreaterThan(index);
        }
    }

    /** The sequencer's lock, held by a transaction on a thread of its own until closed. */
    private final class HeldSequencerLock implements AutoCloseable {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread holder;

        HeldSequencerLock() {
            holder = Thread.ofPlatform().name("held-sequencer-lock").start(() -> transactions.executeWithoutResult(status -> {
                sequencer.lock(true);
                held.countDown();
                awaitQuietly(release);
            }));
            awaitQuietly(held);
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            holder.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sequencer's lock was not taken or released within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void olderPagesContinueBelowTheLastEntryShownWithoutGapsOrRepeats() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("console-pager", Role.AUDITOR);
        for (int i = 0; i < AuditBrowser.PAGE_ENTRIES + 10; i++) {
            events.publishEvent(new SecurityEvent(AuditEventType.OPERATOR_MFA_RESET, SecurityEvent.Outcome.SUCCESS, null, null, "page-" + i, null));
        }
        sequencer.run(true);
        try (BrowserContext browser = chromium.signedIn(auditor, false)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/audit?type=operator.mfa-reset").toString());
            List<Long> first = indexes(page);
            assertThat(first).hasSize(AuditBrowser.PAGE_ENTRIES).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            List<String> reasons = new java.util.ArrayList<>(page.locator("#entries .reason").allTextContents());
            page.click("#older");
            page.waitForURL("**/console/audit?type=operator.mfa-reset&before=" + first.getLast());
            List<Long> second = indexes(page);
            assertThat(second).isNotEmpty().allSatisfy(index -> assertThat(index).isLessThan(first.getLast()));
            reasons.addAll(page.locator("#entries .reason").allTextContents());
            assertThat(reasons).doesNotHaveDuplicates();
            assertThat(reasons).containsAll(java.util.stream.IntStream.range(0, AuditBrowser.PAGE_ENTRIES + 10).mapToObj(i -> "page-" + i).toList());
            assertThat(page.locator("#newest").count()).isEqualTo(1);

            page.navigate(https.uri("/console/audit?type=operator.mfa-reset&from=2999-01-01T00:00").toString());
            assertThat(page.locator("#no-entries").count()).as("nothing is recorded in the future").isEqualTo(1);
            page.navigate(https.uri("/console/audit?type=operator.mfa-reset&from=2000-01-01T00:00&to=2999-01-01T00:00").toString());
            assertThat(indexes(page)).isEqualTo(first);
        }
    }

    private static List<Long> indexes(Page page) {
        return page.locator("#entries tbody tr").all().stream().map(row -> Long.parseLong(row.getAttribute("data-index"))).toList();
    }

    @Test
    void aMalformedFilterIsRefusedNamingTheField() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("console-filter", Role.AUDITOR);
        for (String[] bad : new String[][] {{"actor=alice", "'actor'"}, {"type=sign-in.everything", "'type'"}, {"from=yesterday", "'from'"},
                {"from=2026-12-07T10:00&to=2026-12-07T09:00", "'from' must be before 'to'"}, {"before=-3", "'before'"}}) {
            HttpResponse<String> page = https.get("/console/audit?" + bad[0], auditor.headers());
            assertThat(page.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(page.body()).as(bad[0]).contains(bad[1].replace("'", "&#39;")).doesNotContain("id=\"entries\"");
        }
        assertThat(https.get("/console/audit?type=access.deny&from=2026-01-01T00:00", auditor.headers()).statusCode()).isEqualTo(200);
    }

    @Test
    void operatorsWithoutAuditReadGetNoAuditPageAndAnonymousBrowsersAreSentToSignIn() {
        SignedInOperators.Session reviewer = new SignedInOperators(context, https).signIn("console-reviewer", Role.REVIEWER);
        for (String path : List.of("/console/audit", "/console/audit/entries/0", "/console/audit/verification", "/console/dashboard")) {
            assertThat(https.get(path, reviewer.headers()).statusCode()).as(path).isEqualTo(403);
            HttpResponse<String> anonymous = https.get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(302);
            assertThat(anonymous.headers().firstValue("Location")).as(path).hasValueSatisfying(to -> assertThat(to).endsWith("/console/sign-in"));
        }
        for (String path : List.of("/console/audit/verification", "/console/audit/checkpoints")) {
            HttpResponse<String> refused = https.send(https.request(path).headers(reviewer.headers())
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
        }
        // Each refusal is audited as the API's would be: forbidden, naming the permission the page declares.
        assertThat(AuditEvents.where(jdbc, e -> "access.deny".equals(AuditEvents.text(e, "type"))
                        && reviewer.operatorId().toString().equals(AuditEvents.text(e, "actor"))).stream()
                .map(e -> AuditEvents.line(e, " ", "reason", "permission", "action")).toList())
                .containsExactlyInAnyOrder("forbidden audit.read GET /console/audit", "forbidden audit.read GET /console/audit/entries/{index}",
                        "forbidden audit.read GET /console/audit/verification", "forbidden audit.read GET /console/dashboard",
                        "forbidden audit.read POST /console/audit/verification", "forbidden audit.read POST /console/audit/checkpoints");
    }

    @Test
    void aLogLongerThanOneRunMayVerifyIsRefusedNamingTheCli() {
        checkpoints.publishNow();
        AuditVerification limited = new AuditVerification(context.getBean(LogStore.class), context.getBean(AuditLogReader.class),
                context.getBean(dev.capsule.server.keys.PlatformSigner.class), 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(limited::run)
                .isInstanceOfSatisfying(dev.capsule.server.platform.ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(AuditVerification.TOO_LARGE);
                    assertThat(problem.getMessage()).contains("capsule audit verify");
                });
        assertThat(context.getBean(AuditVerification.class).run().valid()).as("the server's own limit lets this log through").isTrue();
    }

    /** The API twin of the console's verification: the same run, as JSON, for audit.read holders. */
    @Test
    void theVerificationApiAnswersTheSameRun() {
        SignedInOperators.Session auditor = new SignedInOperators(context, https).signIn("api-verifier", Role.AUDITOR);
        checkpoints.publishNow();
        HttpResponse<String> answer = https.send(https.request("/api/v1/audit/verifications").headers(auditor.headers())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(TestHttps.json(answer).get("valid").asBoolean()).isTrue();
        assertThat(TestHttps.json(answer).get("size").asLong()).isPositive();
    }
}
