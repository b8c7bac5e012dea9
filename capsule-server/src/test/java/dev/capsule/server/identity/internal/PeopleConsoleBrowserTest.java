package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's people pages in a real browser (Debian's headless Chromium driven by Playwright) against the real
 * HTTPS server, every step through the pages: a platform admin signs in (password, TOTP computed here), creates an
 * operator with the security-officer role and reads the one-time password once; the new operator onboards (first
 * sign-in, own password, TOTP enrolment from the secret on the page with a code computed here, recovery codes);
 * the admin creates an auditor API key (its secret shown once) and is refused approving it himself (separation of
 * duties, audited as a denial); the officer, whose step-up has gone stale, is asked for a fresh code by the console
 * and then approves it; the key then works on the API. Screenshots go to target/console-screenshots. Fails, never
 * skips, without /usr/bin/chromium.
 */
@IdentityServerTest
class PeopleConsoleBrowserTest {
    private static final String OFFICER_PASSWORD = "the officer's own long passphrase";

    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void anOperatorOnboardsInTheConsoleAndASecondOperatorApprovesAnApiKeyThere() throws Exception {
        TestOperators.Enrolled admin = TestOperators.create(context, "people-admin", Role.PLATFORM_ADMIN);
        String officerName = "officer-" + Long.toHexString(System.nanoTime()).substring(0, 8);
        String token;

        try (TestChromium chromium = TestChromium.launch();
                BrowserContext adminContext = chromium.anonymous();
                BrowserContext officerContext = chromium.anonymous()) {
            // The admin signs in through the console.
            Page adminPage = adminContext.newPage();
            adminPage.navigate(https.uri("/console/").toString());
            signIn(adminPage, admin.username(), TestOperators.PASSWORD);
            adminPage.waitForURL("**/console/second-factor");
            adminPage.fill("#code", admin.code());
            adminPage.click("#verify");
            adminPage.waitForURL("**/console/");
            assertThat(adminPage.locator("#console-nav a").allTextContents()).as("a platform admin's sections")
                    .containsExactly("Home", "Operators", "API keys", "Organisations", "Packages", "Releases", "Merchants", "Payments",
                            "Ledger", "Incidents");

            // The admin creates the officer; the one-time password is on the answer, once.
            adminPage.click("#console-nav >> text=Operators");
            adminPage.waitForURL("**/console/operators");
            assertThat(adminPage.locator("#console-nav a.current").textContent()).isEqualTo("Operators");
            adminPage.fill("#new-username", officerName);
            adminPage.check("#new-role-security-officer");
            adminPage.click("#create-operator");
            assertThat(adminPage.textContent("#username")).isEqualTo(officerName);
            String oneTime = adminPage.textContent("#one-time-password");
            assertThat(oneTime).hasSizeGreaterThanOrEqualTo(16);
            TestChromium.screenshot(adminPage, "operator-created.png");
            adminPage.click("#operator-link");
            adminPage.waitForURL("**/console/operators/" + officerName);
            assertThat(adminPage.textContent("#roles")).isEqualTo("security-officer");
            assertThat(adminPage.textContent("#password-state")).startsWith("one-time");
            assertThat(adminPage.textContent("#mfa-state")).isEqualTo("not enrolled");
            adminPage.click("#console-nav >> text=Operators");
            assertThat(adminPage.locator("tr[data-username='" + officerName + "'] .state").textContent()).isEqualTo("must change password");
            assertThat(adminPage.content()).as("the one-time password is never shown again").doesNotContain(oneTime);
            TestChromium.screenshot(adminPage, "operators.png");

            // The officer onboards entirely in the console.
            Page officerPage = officerContext.newPage();
            officerPage.navigate(https.uri("/console/").toString());
            officerPage.waitForURL("**/console/sign-in");
            signIn(officerPage, officerName, oneTime);
            officerPage.waitForURL("**/console/password");
            assertThat(officerPage.locator("#console-nav").count()).as("no navigation while onboarding").isZero();
            officerPage.fill("#current-password", oneTime);
            officerPage.fill("#new-password", OFFICER_PASSWORD);
            officerPage.fill("#confirm-password", OFFICER_PASSWORD);
            officerPage.click("#change-password");
            officerPage.waitForURL("**/console/mfa");
            TotpSecret secret = ConsoleEnrolment.enrol(officerPage, this::code, "onboarding-recovery-codes.png").secret();
            assertThat(officerPage.textContent("#username")).isEqualTo(officerName);
            assertThat(officerPage.locator("#console-nav a").allTextContents()).as("a security officer's sections")
                    .containsExactly("Home", "Dashboard", "Operators", "API keys", "Packages", "Releases", "Audit log", "Compliance", "Keys",
                            "Incidents");
            assertThat(officerPage.locator("#console-nav a", new Page.LocatorOptions().setHasText("Releases")).getAttribute("href"))
                    .as("a security officer holds the kill switch, not rollouts").isEqualTo("/console/releases/kill-switch");

            // The admin creates an auditor key: pending, its secret shown once.
            adminPage.click("#console-nav >> text=API keys");
            adminPage.waitForURL("**/console/api-keys");
            adminPage.fill("#key-name", "auditor export");
            adminPage.check("#permission-audit\\.read");
            adminPage.fill("#key-expires", "30");
            adminPage.click("#create-key");
            String keyId = adminPage.textContent("#key-id");
            token = adminPage.textContent("#token");
            assertThat(adminPage.textContent("#key-status")).isEqualTo("pending");
            TestChromium.screenshot(adminPage, "api-key-created.png");
            assertThat(https.get("/api/v1/access/me", "Authorization", "Bearer " + token).statusCode())
                    .as("a pending key does not work").isEqualTo(401);

            // The admin may not approve his own key: refused on a page, with the API's 403, and audited.
            adminPage.click("#key-link");
            adminPage.waitForURL("**/console/api-keys/" + keyId);
            assertThat(adminPage.isVisible("#own-key")).isTrue();
            Response refused = adminPage.waitForNavigation(() -> adminPage.click("#approve"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(adminPage.textContent("#error")).startsWith("Another person must approve API key " + keyId);
            assertThat(adminPage.getAttribute("#back", "href")).isEqualTo("/console/api-keys/" + keyId);
            assertThat(denials(admin.id().toString(), "separation-of-duties")).as("the refusal is audited as the API's would be").isEqualTo(1);

            // The officer's step-up has gone stale: the console asks for a fresh code, then the approval goes through.
            clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(30));
            officerPage.click("#console-nav >> text=API keys");
            officerPage.click("tr[data-key-id='" + keyId + "'] a.open");
            officerPage.waitForURL("**/console/api-keys/" + keyId);
            assertThat(officerPage.textContent("#key-scope")).isEqualTo("audit.read");
            assertThat(officerPage.textContent("#created-by")).as("the approver sees who asked for it")
                    .isEqualTo(admin.username() + " (operator:" + admin.id() + ")");
            TestChromium.screenshot(officerPage, "api-key-pending.png");
            Response stepUp = officerPage.waitForNavigation(() -> officerPage.click("#approve"));
            assertThat(stepUp.status()).isEqualTo(403);
            assertThat(officerPage.textContent("#notice")).contains("second factor");
            TestChromium.screenshot(officerPage, "step-up.png");
            assertThat(denials(jdbc.sql("SELECT id::text FROM operators WHERE username = ?").param(officerName).query(String.class).single(),
                    "step-up-required")).isEqualTo(1);
            officerPage.fill("#code", code(secret));
            officerPage.click("#confirm");
            officerPage.waitForURL("**/console/api-keys/" + keyId);
            officerPage.click("#approve");
            officerPage.waitForURL("**/console/api-keys/" + keyId + "?outcome=approved");
            assertThat(officerPage.textContent("#key-status")).isEqualTo("active");
            assertThat(officerPage.textContent("#message")).startsWith("Approved");
            assertThat(officerPage.textContent("#approved")).endsWith(" by " + officerName + " (operator:"
                    + jdbc.sql("SELECT id::text FROM operators WHERE username = ?").param(officerName).query(String.class).single() + ")");
            assertThat(officerPage.locator("#approve").count()).as("an approved key has no approve form").isZero();
            TestChromium.screenshot(officerPage, "api-key-approved.png");
            officerPage.click("#console-nav >> text=API keys");
            assertThat(officerPage.textContent("tr[data-key-id='" + keyId + "'] .status")).isEqualTo("active");
            TestChromium.screenshot(officerPage, "api-keys.png");
        }

        assertThat(https.get("/api/v1/access/me", "Authorization", "Bearer " + token).statusCode())
                .as("the approved key works").isEqualTo(200);
    }

    @Test
    void anAdminManagesAnOperatorInTheConsoleAndAReviewerMayNot() throws Exception {
        TestOperators.Enrolled admin = TestOperators.create(context, "people-admin", Role.PLATFORM_ADMIN);
        TestOperators.Enrolled target = TestOperators.create(context, "people-target", Role.REVIEWER);
        TestOperators.Enrolled reviewer = TestOperators.create(context, "people-reviewer", Role.REVIEWER);
        try (TestChromium chromium = TestChromium.launch();
                BrowserContext adminContext = chromium.anonymous();
                BrowserContext reviewerContext = chromium.anonymous()) {
            Page page = signedIn(adminContext, admin);
            page.navigate(https.uri("/console/operators").toString());
            page.click("tr[data-username='" + target.username() + "'] a.open");
            page.waitForURL("**/console/operators/" + target.username());
            assertThat(page.textContent("#operator-id")).isEqualTo(target.id().toString());
            page.uncheck("#role-reviewer");
            page.check("#role-auditor");
            page.click("#save-roles");
            page.waitForURL("**/console/operators/" + target.username() + "?outcome=roles");
            assertThat(page.textContent("#roles")).isEqualTo("auditor");
            TestChromium.screenshot(page, "operator.png");

            page.click("#disable");
            page.waitForURL("**?outcome=disabled");
            assertThat(page.textContent("#state")).isEqualTo("disabled");
            page.click("#enable");
            page.waitForURL("**?outcome=enabled");
            assertThat(page.textContent("#state")).isEqualTo("enabled");
            page.click("#reset-mfa");
            page.waitForURL("**?outcome=mfa-reset");
            assertThat(page.textContent("#mfa-state")).isEqualTo("not enrolled");
            page.click("#reset-password");
            assertThat(page.textContent("#one-time-password")).hasSizeGreaterThanOrEqualTo(16);
            page.click("#operator-link");
            assertThat(page.textContent("#password-state")).startsWith("one-time");
            assertThat(AuditEvents.where(jdbc, event -> AuditEvents.text(event, "subject").equals(target.id().toString()))
                    .stream().map(event -> AuditEvents.text(event, "type")).toList())
                    .as("each change audited as the API's is").contains("operator.assign-roles", "operator.disable", "operator.enable",
                            "operator.mfa-reset", "operator.password-reset");

            page.navigate(https.uri("/console/operators/" + admin.username()).toString());
            Response own = page.waitForNavigation(() -> page.click("#save-roles"));
            assertThat(own.status()).as("nobody changes their own roles").isEqualTo(403);
            assertThat(page.textContent("#error")).startsWith("Another person must change the roles of operator " + admin.username());

            Page reviewerPage = signedIn(reviewerContext, reviewer);
            assertThat(reviewerPage.locator("#console-nav a").allTextContents()).containsExactly("Home", "Packages");
            Response refused = reviewerPage.navigate(https.uri("/console/operators").toString());
            assertThat(refused.status()).isEqualTo(403);
            assertThat(reviewerPage.textContent("#error")).contains("operators.read");
            assertThat(reviewerPage.locator("#operators").count()).isZero();
            assertThat(AuditEvents.where(jdbc, event -> AuditEvents.text(event, "type").equals("access.deny")
                    && AuditEvents.text(event, "actor").equals(reviewer.id().toString())
                    && AuditEvents.text(event, "action").equals("GET /console/operators"))).hasSize(1);
            TestChromium.screenshot(reviewerPage, "refused.png");
        }
    }

    @Test
    void anAdminRegistersAnOrganisationWithItsIdsKeysAndMembersInTheConsole() throws Exception {
        TestOperators.Enrolled admin = TestOperators.create(context, "people-admin", Role.PLATFORM_ADMIN);
        String appId = "com.example.people" + Long.toHexString(System.nanoTime()).substring(0, 6);
        String legalName = "<b id=\"injected\">Example</b> Ltd";
        VerifyingKey key = SigningKey.generate().publicKey();
        try (TestChromium chromium = TestChromium.launch();
                BrowserContext adminContext = chromium.anonymous()) {
            Page page = signedIn(adminContext, admin);
            page.click("#console-nav >> text=Organisations");
            page.waitForURL("**/console/organisations");
            page.fill("#legal-name", legalName);
            page.fill("#contact", "security@example.com");
            page.click("#register-organisation");
            page.waitForURL("**?outcome=registered");
            assertThat(page.textContent("#legal-name")).as("markup in a legal name is text").isEqualTo(legalName);
            assertThat(page.locator("#injected").count()).isZero();
            String organisation = page.textContent("#organisation-id");

            page.click("#verify");
            page.waitForURL("**?outcome=verified");
            assertThat(page.textContent("#verified")).isEqualTo("verified");
            assertThat(page.locator("#verify").count()).isZero();

            page.fill("#app-id", appId);
            page.click("#add-mini-program");
            page.waitForURL("**?outcome=mini-program");
            assertThat(page.locator(".app-id").allTextContents()).containsExactly(appId);
            page.fill("#app-id", "Not An Id");
            Response invalid = page.waitForNavigation(() -> page.click("#add-mini-program"));
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(page.textContent("#error")).isEqualTo("1 field is invalid: appId must be an app id: reverse-DNS in lower case, like com.example.todo.");
            page.click("#back");
            page.waitForURL("**/console/organisations/" + organisation);

            page.fill("#public-key", key.toPem());
            page.click("#add-key");
            page.waitForURL("**?outcome=key-added");
            String row = "tr[data-key-id='" + key.keyId().hex() + "']";
            assertThat(page.textContent(row + " .status")).isEqualTo("active");
            page.fill("#member-id", admin.id().toString());
            page.click("#add-member");
            page.waitForURL("**?outcome=member");
            assertThat(page.locator(".member").allTextContents()).containsExactly(admin.username() + " (operator:" + admin.id() + ")");
            assertThat(page.getAttribute(".member", "data-operator-id")).isEqualTo(admin.id().toString());
            TestChromium.screenshot(page, "organisation.png");
            page.click(row + " .revoke-key");
            page.waitForURL("**?outcome=key-revoked");
            assertThat(page.textContent(row + " .status")).isEqualTo("revoked");

            page.click("#console-nav >> text=Organisations");
            assertThat(page.textContent("tr[data-organisation-id='" + organisation + "'] .verified")).isEqualTo("verified");
            TestChromium.screenshot(page, "organisations.png");

            // A key for the organisation's CI: chosen by its legal name, and only with the scope a bound key may hold.
            page.click("#console-nav >> text=API keys");
            page.fill("#key-name", "example CI");
            page.check("#permission-audit\\.read");
            page.selectOption("#key-organisation", organisation);
            Response tooWide = page.waitForNavigation(() -> page.click("#create-key"));
            assertThat(tooWide.status()).isEqualTo(400);
            assertThat(page.textContent("#error")).startsWith("1 field is invalid: permissions a key bound to a developer organisation may hold only");
            page.navigate(https.uri("/console/api-keys").toString());
            page.fill("#key-name", "example CI");
            page.check("#permission-packages\\.submit");
            page.selectOption("#key-organisation", organisation);
            page.click("#create-key");
            assertThat(page.textContent("#key-status")).isEqualTo("pending");
            page.click("#key-link");
            assertThat(page.textContent("#key-organisation")).isEqualTo(organisation);
            assertThat(page.textContent("#key-scope")).isEqualTo("packages.submit");

            assertThat(AuditEvents.where(jdbc, event -> AuditEvents.text(event, "detail").startsWith("organisation " + organisation))
                    .stream().map(event -> AuditEvents.text(event, "type")).toList())
                    .containsExactly("organisation.register", "organisation.verify", "mini-program.register", "developer-key.add",
                            "organisation.add-member", "developer-key.revoke", "api-key.create");
        }
    }

    /** A page signed in through the console's own forms (password, then the TOTP code of the server's clock). */
    private Page signedIn(BrowserContext context, TestOperators.Enrolled operator) {
        Page page = context.newPage();
        page.navigate(https.uri("/console/sign-in").toString());
        signIn(page, operator.username(), TestOperators.PASSWORD);
        page.waitForURL("**/console/second-factor");
        page.fill("#code", operator.code());
        page.click("#verify");
        page.waitForURL("**/console/");
        return page;
    }

    private static void signIn(Page page, String username, String password) {
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("#sign-in");
    }

    private String code(TotpSecret secret) {
        return TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant());
    }

    private long denials(String actor, String reason) {
        return AuditEvents.where(jdbc, event -> AuditEvents.text(event, "type").equals("access.deny")
                && AuditEvents.text(event, "actor").equals(actor)
                && AuditEvents.text(event, "reason").equals(reason)
                && AuditEvents.text(event, "action").equals("POST /console/api-keys/{keyId}/approve")).size();
    }
}
