package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The end-user proof through the real server (HTTPS, PostgreSQL, the registry, releases, host and platform
 * modules; no routed socket, no stand-in beans): examples/todo is signed by a verified developer organisation,
 * uploaded, reviewed and approved (released); a super-app backend obtains a session grant with its
 * {@code sessions.open} key; in Chromium the user enters the shell with it, sees the todo listed with its verified
 * developer, opens it, adds two items by typing and clicking, toggles one by clicking, reloads the page (a new
 * session: the {@code open} frame names another session id) and sees both items as they were: they came back from
 * the platform's encrypted PostgreSQL storage. Sessions run in worker processes under bubblewrap (the default tier),
 * checked by the sandbox process the server started while the page is open.
 */
@CapsuleServerTest
@TestPropertySource(properties = {"capsule.host.isolation=process", "capsule.host.workers-ready=0"})
class ShellTodoEndToEndBrowserTest {
    static final String ROUTE = "pages/index/index";

    @Autowired TestHttps https;
    @Autowired ApplicationContext spring;

    @Test
    void aUserOpensTheReleasedTodoAddsAndTogglesItemsAndFindsThemAfterAReload() throws Exception {
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer developer = shell.released("utility", app -> Map.of());
            String organisation = TestHttps.json(https.get("/api/v1/organisations/" + developer.organisationId(),
                    shell.registry.admin.headers())).get("legalName").asString();

            shell.enter("todo-user-" + System.nanoTime());
            String listed = "li.app[data-app='" + developer.appId() + "']";
            assertThat(shell.page.textContent(listed + " .name")).isEqualTo("Todo");
            assertThat(shell.page.textContent(listed + " .developer")).contains(organisation);
            assertThat(shell.page.isVisible(listed + " .badge.verified")).as("the verified developer's badge").isTrue();
            assertThat(shell.page.locator(listed + " .badge.unverified").count()).isZero();
            shell.screenshot("shell-list.png");

            shell.open(developer.appId(), ROUTE);
            assertThat(shell.page.textContent("#capsule-app-name")).isEqualTo("Todo");
            assertThat(shell.page.textContent("#capsule-developer")).isEqualTo(organisation);
            assertThat(shell.page.isVisible("#capsule-badge.capsule-badge-verified")).isTrue();
            shell.waitForGuestText("Nothing to do");
            assertThat(sandboxedWorkers()).as("the session runs in a worker process under bubblewrap").isPositive();

            add(shell, "Buy milk");
            add(shell, "Call the plumber");
            shell.click(shell.guestRectOfText("Buy milk"));
            shell.waitForGuestText("[x] Buy milk");
            shell.waitForGuestText("1 left");
            assertThat(shell.guestText()).contains("[x]Buymilk").contains("[]Calltheplumber").doesNotContain("Nothingtodo");
            shell.screenshot("shell-todo.png");
            String firstSession = shell.opens.getLast().path("session").asString();

            shell.page.reload();
            shell.waitForRoute(ROUTE);
            shell.waitForGuestText("Call the plumber");
            assertThat(shell.guestText()).as("the items came back from the platform's storage")
                    .contains("[x]Buymilk").contains("[]Calltheplumber").contains("1left").doesNotContain("Nothingtodo");
            assertThat(shell.opens).hasSize(2);
            assertThat(shell.opens.getLast().path("session").asString()).as("the reload opened a new session").isNotEqualTo(firstSession);
            assertThat(shell.opens.getLast().path("app").path("verified").asBoolean()).isTrue();
            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    /** Types into the new-item input as a user does and clicks Add; waits for the item to be listed and the field emptied. */
    private static void add(ReleasedShell shell, String title) {
        shell.click(shell.guestRect("input"));
        shell.page.keyboard().type(title);
        shell.page.waitForTimeout(150);
        shell.click(shell.guestRectOfText("Add"));
        shell.waitForGuestText("[ ] " + title);
        assertThat(shell.page.evaluate("() => window.__shadow.querySelector('input').value"))
                .as("the session's draft: '' empties the field the user typed in").isEqualTo("");
    }

    /** Sandboxed worker processes (bubblewrap) this JVM started. */
    private static long sandboxedWorkers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/bwrap")).orElse(false)).count();
    }
}
