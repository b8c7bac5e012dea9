package dev.capsule.server.releases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.runtime.release.RiskPolicies;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.access.Role;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.host.internal.CatalogueEntry;
import dev.capsule.server.host.internal.LaunchPlan;
import dev.capsule.server.host.internal.LaunchSource;
import dev.capsule.server.host.internal.ShellPrincipal;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The shell's released launch source over the releases module's {@link ReleasedPrograms}: what a user may open is
 * what is released to them, verified with core's verifier, under its risk profile's policy; a revoked version or a
 * grant for another mini-program is refused with a code the shell shows.
 */
@CapsuleServerTest
@Import(TestRegistry.Config.class)
class ReleasedLaunchSourceTest {
    private static final AtomicInteger APPS = new AtomicInteger();

    @Autowired TestRegistry registry;
    @Autowired ApplicationContext context;
    @Autowired TestHttps https;

    private LaunchSource released() {
        return context.getBean("releasedLaunchSource", LaunchSource.class);
    }

    private static ShellPrincipal user(String id) {
        return new ShellPrincipal(new ShellUserId(id), Optional.empty(), false, Instant.now().plusSeconds(600), new RegionId("local"));
    }

    @Test
    void aReleasedMiniProgramIsListedAndPlannedAsAVerifiedReleaseUnderItsRiskProfile() throws Exception {
        String app = "com.example.shell" + APPS.incrementAndGet();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());

        assertThat(released().openable(user("acct-l1"))).contains(new CatalogueEntry(MiniProgramId.of(app), "Todo", "1.0.0",
                TestRegistry.DEVELOPER_NAME, true));
        LaunchPlan plan = released().plan(user("acct-l1"), MiniProgramId.of(app)).orElseThrow();
        assertThat(plan).isInstanceOf(LaunchPlan.Released.class);
        LaunchPlan.Released release = (LaunchPlan.Released) plan;
        assertThat(release.release().pkg().manifest().id()).isEqualTo(app);
        assertThat(release.release().entry().preset()).isEqualTo(RiskProfile.UTILITY);
        assertThat(release.policy()).isEqualTo(RiskPolicies.of(RiskProfile.UTILITY));
        assertThat(release.entry().developer()).isEqualTo(TestRegistry.DEVELOPER_NAME);

        // A second plan verifies against the checkpoint this node remembered (consistency from it).
        registry.approve("com.example.shell" + APPS.incrementAndGet(), "1.0.0", TestRegistry.someApprover());
        assertThat(released().plan(user("acct-l2"), MiniProgramId.of(app))).isPresent();
    }

    @Test
    void anUnknownMiniProgramIsNotThisSourcesAndAGrantForAnotherIsRefused() throws Exception {
        assertThat(released().plan(user("acct-l3"), MiniProgramId.of("com.example.neverreleased"))).isEmpty();
        String app = "com.example.shell" + APPS.incrementAndGet();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        ShellPrincipal onlyOther = new ShellPrincipal(new ShellUserId("acct-l4"), Optional.of(MiniProgramId.of("com.example.other")), false,
                Instant.now().plusSeconds(600), new RegionId("local"));
        assertThatThrownBy(() -> released().plan(onlyOther, MiniProgramId.of(app))).isInstanceOf(LaunchSource.LaunchRefusal.class)
                .satisfies(e -> assertThat(((LaunchSource.LaunchRefusal) e).code()).isEqualTo("not-granted"));
        assertThat(released().openable(onlyOther)).noneMatch(entry -> entry.app().value().equals(app));
    }

    @Test
    void aRevokedVersionIsRefusedAndNoLongerListed() throws Exception {
        String app = "com.example.shell" + APPS.incrementAndGet();
        registry.approve(app, "1.0.0", TestRegistry.someApprover());
        SignedInOperators.Session officer = new SignedInOperators(context, https).signIn("shell-kill-officer", Role.SECURITY_OFFICER);
        HttpResponse<String> revoked = https.send(https.request("/api/v1/releases/" + app + "/revocations").headers(officer.headers())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"1.0.0\", \"reason\": \"exfiltrates contacts\"}")).build());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        assertThatThrownBy(() -> released().plan(user("acct-l5"), MiniProgramId.of(app))).isInstanceOf(LaunchSource.LaunchRefusal.class)
                .satisfies(e -> {
                    assertThat(((LaunchSource.LaunchRefusal) e).code()).isEqualTo("revoked");
                    assertThat(e.getMessage()).doesNotContain("exfiltrates");
                });
        assertThat(released().openable(user("acct-l5"))).noneMatch(entry -> entry.app().value().equals(app));
    }
}
