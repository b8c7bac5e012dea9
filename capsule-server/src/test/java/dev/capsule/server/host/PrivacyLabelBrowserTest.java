package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The privacy label before a user's first launch, in Debian's Chromium through the real server (registry, releases,
 * host; nothing routed): a released mini-program declaring location for a purpose written with markup and contacting
 * one server; the user clicks it in the shell and gets its label first (the declared data, its purpose as text, the
 * API, the server, the verified organisation's name), continues and is in the mini-program; the second launch goes
 * straight in; the label stays readable at its URL; a changed privacy text shows it again. A mini-program declaring
 * nothing gets a label saying so, and Go back opens nothing. Sessions run in-process (the properties of the other
 * in-process shell browser tests, so the Spring context is shared).
 */
@CapsuleServerTest
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.sessions-per-node-max=64"})
class PrivacyLabelBrowserTest {
    static final String ROUTE = "pages/index/index";
    static final String PURPOSE = "<b id=\"injected\">Show</b> nearby stores";

    @Autowired TestHttps https;
    @Autowired ApplicationContext spring;
    @Autowired JdbcClient jdbc;

    static String manifest(String appId) {
        return """
                {"id": "%s", "version": "1.0.0", "name": "Stores near you",
                 "developer": {"id": "example", "name": "Example Ltd"},
                 "network": {"request": ["api.stores.example.com"], "uploadFile": [], "downloadFile": [],
                             "connectSocket": ["live.stores.example.com:8443"]},
                 "privacy": [{"data": "location", "apis": ["wx.getLocation"], "purpose": %s}],
                 "dependencies": []}""".formatted(appId, ShellBrowser.JSON.writeValueAsString(PURPOSE));
    }

    @Test
    void theLabelIsShownBeforeTheFirstLaunchAndTheSecondLaunchGoesStraightIn() throws Exception {
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer stores = shell.released("utility", app -> Map.of("capsule.json", manifest(app)));
            RegistryFixture.Developer plain = shell.released("content", app -> Map.of());
            String organisation = TestHttps.json(https.get("/api/v1/organisations/" + stores.organisationId(),
                    shell.registry.admin.headers())).get("legalName").asString();
            List<String> visited = new CopyOnWriteArrayList<>();
            shell.page.onFrameNavigated(frame -> {
                if (frame == shell.page.mainFrame()) {
                    visited.add(frame.url());
                }
            });

            shell.enter("label-user-" + System.nanoTime());
            shell.page.click("li.app[data-app='" + stores.appId() + "'] a.open");
            shell.page.waitForURL("**/shell/apps/" + stores.appId() + "/privacy");
            assertThat(shell.page.textContent("#label-name")).isEqualTo("Stores near you");
            assertThat(shell.page.textContent("#label-developer")).isEqualTo(organisation);
            assertThat(shell.page.isVisible("#label-verified")).isTrue();
            assertThat(shell.page.textContent("#label-data .data")).isEqualTo("location");
            assertThat(shell.page.textContent("#label-data .purpose")).as("the developer's markup is text").isEqualTo(PURPOSE);
            assertThat(shell.page.locator("#injected").count()).isZero();
            assertThat(shell.page.textContent("#label-data .apis")).isEqualTo("wx.getLocation");
            assertThat(shell.page.locator("#label-hosts .host").allTextContents())
                    .containsExactly("api.stores.example.com", "live.stores.example.com:8443");
            assertThat(shell.page.locator("#label-no-data").count()).isZero();
            shell.screenshot("privacy-label.png");

            shell.page.click("#label-continue");
            shell.page.waitForURL("**/shell/apps/" + stores.appId());
            shell.waitForRoute(ROUTE);
            assertThat(shell.context.cookies()).as("the label opens no console session").extracting(c -> c.name)
                    .doesNotContain("__Host-capsule-session");
            String digest = PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location", List.of("wx.getLocation"),
                    PURPOSE))).hex();
            assertThat(jdbc.sql("SELECT privacy_digest FROM host_privacy_labels WHERE app_id = ?").param(stores.appId())
                    .query(String.class).list()).containsExactly(digest);

            shell.page.navigate(https.uri("/shell").toString());
            visited.clear();
            shell.open(stores.appId(), ROUTE);
            assertThat(visited).as("the second launch goes straight in").noneMatch(url -> url.endsWith("/privacy"));

            shell.page.navigate(https.uri("/shell/apps/" + stores.appId() + "/privacy").toString());
            assertThat(shell.page.textContent("#label-data .purpose")).isEqualTo(PURPOSE);
            assertThat(shell.page.isVisible("#label-seen")).as("readable later, with when it was continued past").isTrue();
            assertThat(shell.page.locator("#label-continue").count()).isZero();

            jdbc.sql("UPDATE host_privacy_labels SET privacy_digest = ? WHERE app_id = ?").params("0".repeat(64), stores.appId()).update();
            shell.page.navigate(https.uri("/shell").toString());
            shell.page.click("li.app[data-app='" + stores.appId() + "'] a.open");
            shell.page.waitForURL("**/shell/apps/" + stores.appId() + "/privacy");
            assertThat(shell.page.isVisible("#label-continue")).as("another privacy text shows the label again").isTrue();

            shell.page.navigate(https.uri("/shell").toString());
            shell.page.click("li.app[data-app='" + plain.appId() + "'] a.open");
            shell.page.waitForURL("**/shell/apps/" + plain.appId() + "/privacy");
            assertThat(shell.page.textContent("#label-no-data")).isEqualTo("This mini-program declares no personal data.");
            assertThat(shell.page.isVisible("#label-no-hosts")).isTrue();
            shell.page.click("#label-back");
            shell.page.waitForURL("**/shell");
            assertThat(jdbc.sql("SELECT count(*) FROM host_privacy_labels WHERE app_id = ?").param(plain.appId())
                    .query(Long.class).single()).as("going back records nothing").isZero();

            assertThat(shell.pwned()).isNull();
            assertThat(shell.cspViolations()).isEmpty();
        }
    }
}
