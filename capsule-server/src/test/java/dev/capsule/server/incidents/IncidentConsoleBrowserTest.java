package dev.capsule.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestChromium;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The incident console in a real browser (headless Chromium driven by Playwright) against the real HTTPS server: a
 * security officer opens an incident from the list, suspends a developer organisation from the incident's page with
 * one click, sees the organisation marked suspended, and finds the suspension in the incident's timeline, linked to
 * its audit entry page. Fails, never skips, without /usr/bin/chromium.
 */
@CapsuleServerTest
@Import(IncidentsTestConfiguration.class)
class IncidentConsoleBrowserTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired JdbcClient jdbc;

    @Test
    void anOfficerOpensAnIncidentAndSuspendsAnOrganisationFromItsPageInChromium() throws Exception {
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session officer = new SignedInOperators(context, https).signIn("console-incident", Role.SECURITY_OFFICER);
        String[] bearer = {"Authorization", "Bearer " + developer.token()};

        try (TestChromium chromium = TestChromium.launch(); BrowserContext browser = chromium.signedIn(officer, false)) {
            Page page = browser.newPage();
            page.navigate(https.uri("/console/").toString());
            page.click("header >> text=Incidents");
            page.waitForURL("**/console/incidents");
            page.fill("#incident-title", "<i>Compromised</i> developer CI");
            page.selectOption("#incident-severity", "critical");
            page.fill("#incident-note", "their signing key was used from an unknown address");
            page.click("#open-incident");
            page.waitForURL("**/console/incidents/*");
            assertThat(page.textContent("#incident-title")).isEqualTo("<i>Compromised</i> developer CI");
            assertThat(page.locator("#incident-title i").count()).as("the title is text, never markup").isZero();
            assertThat(page.textContent("#state")).isEqualTo("open");
            String id = page.textContent("#incident-id");

            page.selectOption("#suspend-organisation", new SelectOption().setValue(developer.organisationId()));
            page.fill("#suspend-reason", "signing key used from an unknown address");
            page.click("#suspend");
            page.waitForURL("**/console/incidents/" + id);
            assertThat(page.textContent("#done")).contains("is suspended");
            assertThat(page.locator("#standings tr[data-organisation-id='" + developer.organisationId() + "'] .standing").textContent())
                    .isEqualTo("suspended");
            assertThat(https.get("/api/v1/packages", bearer).statusCode()).as("its API key is refused at once").isEqualTo(403);

            // The timeline shows the suspension once the log has sequenced it (every 250 ms), linked to its entry page.
            for (int tries = 0; tries < 50 && page.locator("tr.timeline-entry[data-type='organisation.suspend']").count() == 0; tries++) {
                Thread.sleep(200);
                page.reload();
            }
            var suspension = page.locator("tr.timeline-entry[data-type='organisation.suspend']");
            assertThat(suspension.getAttribute("data-under-incident")).isEqualTo("true");
            suspension.locator("a.entry").click();
            page.waitForURL("**/console/audit/entries/*");
            assertThat(page.content()).contains(id);
            TestChromium.screenshot(page, "incident-suspension-entry.png");

            page.navigate(https.uri("/console/incidents/" + id).toString());
            page.click("#next-state");
            page.waitForURL("**/console/incidents/" + id);
            assertThat(page.textContent("#state")).isEqualTo("contained");
            TestChromium.screenshot(page, "incident.png");
        }
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("organisation.suspend")
                && AuditEvents.text(e, "actor").equals(officer.operatorId().toString())).stream()
                .map(e -> AuditEvents.text(e, "incident")).toList()).hasSize(1).doesNotContain("null");
    }
}
