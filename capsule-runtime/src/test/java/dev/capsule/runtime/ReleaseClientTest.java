package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.RevocationList;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.core.testing.TestReleaseLog;
import dev.capsule.runtime.release.ReleaseClient;
import dev.capsule.runtime.testing.ReleaseTestServer;
import dev.capsule.runtime.release.ReleaseException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Launching from the platform's releases over real HTTPS: the bundle is verified and launched under its risk
 * profile, and the kill switch stops a running session within 5 s in both tiers, refuses revoked versions, fails
 * closed without a fresh list, ignores replayed lists and enforces the platform's minimum runtime.
 */
class ReleaseClientTest {
    private static final String APP = "com.example.todo";
    private static final String PROBE = "Page({ onLoad() { console.log('location ' + typeof wx.getLocation + ', request ' + typeof wx.request); } })";

    @TempDir
    Path data;
    private ReleaseTestServer server;
    private ReleaseClient client;

    @BeforeEach
    void start() throws Exception {
        server = new ReleaseTestServer();
        server.release(APP, "1.0.0", RiskProfile.CONTENT, PROBE);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private ReleaseClient client() throws ReleaseException {
        return client(Duration.ofMillis(500));
    }

    private ReleaseClient client(Duration poll) throws ReleaseException {
        client = ReleaseClient.start(ReleaseClient.Settings.of(server.url(), server.log.trust(), data)
                .withTls(ReleaseTestServer.clientTls()).withRevocationPoll(poll));
        return client;
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aVerifiedReleaseRunsUnderItsRiskProfile(Isolation tier) throws Exception {
        Recorder events = new Recorder();
        try (MiniProgramSession session = client().launch(Tiers.harness(tier).runtime, APP, "release-" + tier, events)) {
            assertThat(session.awaitIdle(Harness.IDLE_WAIT)).isTrue();
        }
        assertThat(events.all().getFirst()).isEqualTo(new RuntimeEvent.Launch(APP, "1.0.0", true, "release-" + tier));
        // content: network yes, personal data no
        assertThat(events.logs()).containsExactly("location undefined, request function");
        ReleaseClientState state = ReleaseClientState.read(data.resolve("release-client-state.json"));
        assertThat(state.highestVersion(APP)).contains(SemanticVersion.parse("1.0.0"));
        assertThat(state.checkpoint()).hasValueSatisfying(c -> assertThat(c.size()).isEqualTo(server.log.size()));
        assertThat(state.revocationSequence()).isEqualTo(server.sequence());
    }

    @Test
    void theSameAppUnderTheFinancialProfileHasPersonalData() throws Exception {
        server.release(APP, "1.1.0", RiskProfile.FINANCIAL, PROBE);
        Recorder events = new Recorder();
        try (MiniProgramSession session = client().launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "financial", events)) {
            assertThat(session.awaitIdle(Harness.IDLE_WAIT)).isTrue();
        }
        assertThat(events.logs()).containsExactly("location function, request function");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aRevokedVersionIsStoppedWithin5Seconds(Isolation tier) throws Exception {
        server.release(APP, "1.0.1", RiskProfile.UTILITY, "Page({ onLoad() { setInterval(() => {}, 100); console.log('running'); } })");
        CountDownLatch exited = new CountDownLatch(1);
        Recorder events = new Recorder();
        MiniProgramSession session = client(Duration.ofSeconds(2)).launch(Tiers.harness(tier).runtime, APP, "revoked-" + tier, e -> {
            events.accept(e);
            if (e instanceof RuntimeEvent.Exit) {
                exited.countDown();
            }
        });
        try {
            awaitLog(events, "running");
            long published = System.nanoTime();
            server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "1.0.1", "sends contacts to a third party")), Optional.empty());
            assertThat(exited.await(5, TimeUnit.SECONDS)).as("stopped within 5 s of the kill switch").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published)).isLessThan(5_000);
            assertThat(events.all().getLast()).isEqualTo(new RuntimeEvent.Exit(1,
                    "revoked: version 1.0.1 of com.example.todo was revoked by the platform: sends contacts to a third party"));
            assertThat(session.exitCode()).isEqualTo(1);
        } finally {
            session.close();
        }
        // A new session of the revoked version is refused.
        assertThatThrownBy(() -> client.launch(Tiers.harness(tier).runtime, APP, "revoked-again-" + tier, new Recorder()))
                .isInstanceOfSatisfying(LaunchRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.REVOKED);
                    assertThat(e.getMessage()).contains("1.0.1", "sends contacts to a third party");
                });
    }

    @Test
    void aRefusedReleaseLaunchIsAudited() throws Exception {
        var audit = new java.util.concurrent.CopyOnWriteArrayList<dev.capsule.runtime.host.AuditEvent>();
        server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "1.0.0", "malware")), Optional.empty());
        try (Harness h = new Harness(HostServices.defaults().withAudit(audit::add), RuntimeLimits.DEFAULTS)) {
            assertThatThrownBy(() -> client().launch(h.runtime, APP, "audited", new Recorder())).isInstanceOf(LaunchRefusedException.class);
        }
        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("launch refused");
            assertThat(a.outcome()).isEqualTo("revoked");
            assertThat(a.userId()).isEqualTo("audited");
            assertThat(a.detail()).contains("malware");
        });
    }

    @Test
    void otherVersionsAndAppsAreNotStopped() throws Exception {
        Recorder events = new Recorder();
        try (MiniProgramSession session = client().launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "bystander", events)) {
            server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "0.9.0", "old"), ReleaseTestServer.revoked("com.example.other", "1.0.0", "x")),
                    Optional.empty());
            awaitSequence(server.sequence());
            assertThat(session.ended()).isFalse();
        }
    }

    @Test
    void withoutAFreshRevocationListNewSessionsAreRefused() throws Exception {
        server.revocationStatus(503);
        assertThatThrownBy(() -> client().launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "no-list", new Recorder()))
                .isInstanceOfSatisfying(LaunchRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.NO_FRESH_REVOCATION_LIST);
                    assertThat(e.getMessage()).contains("fail closed", "HTTP 503");
                });
        server.revocationStatus(200);
        try (MiniProgramSession session = client.launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "list-back", new Recorder())) {
            assertThat(session.ended()).isFalse();
        }
    }

    @Test
    void aListOlderThanTheMaximumAgeIsNotFresh() throws Exception {
        java.time.Instant issued = ReleaseTestServer.now().minus(Duration.ofHours(3));
        server.serveRevocations(server.signed(new RevocationList(TestReleaseLog.ORIGIN, 50, issued, issued.plus(RevocationList.VALIDITY),
                Optional.empty(), List.of())));
        assertThatThrownBy(() -> client().launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "frozen", new Recorder()))
                .isInstanceOfSatisfying(LaunchRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.NO_FRESH_REVOCATION_LIST);
                    assertThat(e.getMessage()).contains("freeze");
                });
    }

    @Test
    void aReplayedOlderListIsNeverUsed() throws Exception {
        byte[] old = server.currentRevocations();
        server.publishRevocations(List.of(ReleaseTestServer.revoked(APP, "1.0.0", "malware")), Optional.empty());
        client();
        awaitSequence(server.sequence());
        server.serveRevocations(old); // fresh, validly signed, but an earlier sequence: it would un-revoke 1.0.0
        assertThat(client.revocations().refresh()).isTrue();
        assertThat(client.revocations().lastProblem()).contains("sequence", "replayed");
        assertThatThrownBy(() -> client.launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "replay", new Recorder()))
                .isInstanceOfSatisfying(LaunchRefusedException.class, e -> assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.REVOKED));
        // A new client on the same data directory remembers the sequence too.
        client.close();
        client = null;
        client();
        assertThat(client.revocations().refresh()).isFalse();
    }

    @Test
    void thePlatformsMinimumRuntimeRefusesNewSessionsAndStopsRunningOnes() throws Exception {
        Recorder events = new Recorder();
        MiniProgramSession session = client().launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "minimum", events);
        try {
            server.publishRevocations(List.of(), Optional.of(SemanticVersion.parse("999.0.0")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!session.ended() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(events.all().getLast()).isInstanceOfSatisfying(RuntimeEvent.Exit.class,
                    e -> assertThat(e.reason()).startsWith("runtime-below-minimum: ").contains("999.0.0"));
        } finally {
            session.close();
        }
        assertThatThrownBy(() -> client.launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "minimum-again", new Recorder()))
                .isInstanceOfSatisfying(LaunchRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.RUNTIME_BELOW_PLATFORM_MINIMUM));
    }

    @Test
    void aBundleTheVerifierRefusesIsNotLaunchedAndLeavesTheStateAlone() throws Exception {
        client().fetch(APP, "first");
        awaitSequence(server.sequence()); // the watcher's first poll also writes the state: let it land first
        byte[] stateBefore = Files.readAllBytes(data.resolve("release-client-state.json"));
        // A split view: a checkpoint of the size already seen with another root.
        long size = server.log.size();
        server.bundles.put(APP, since -> new dev.capsule.core.release.ReleaseBundle(APP, "1.0.0", 0, server.log.entry(0),
                server.log.inclusionProof(0, size), TestReleaseLog.checkpoint(size, new byte[32], ReleaseTestServer.now(), server.log.checkpointKey),
                List.of(), Optional.empty(), server.developer.publicKey(), TestReleaseLog.pack(APP, "1.0.0", server.developer,
                        Optional.of(server.log.countersignKey))).toJson());
        Recorder events = new Recorder();
        assertThatThrownBy(() -> client.launch(Tiers.harness(Isolation.IN_PROCESS).runtime, APP, "split", events))
                .isInstanceOfSatisfying(ReleaseException.class, e -> {
                    assertThat(e.code()).isEqualTo("split-view");
                    assertThat(e.getMessage()).startsWith("release refused (split-view): ");
                });
        assertThat(events.all()).isEmpty();
        assertThat(Files.readAllBytes(data.resolve("release-client-state.json"))).isEqualTo(stateBefore);
    }

    @Test
    void anUnreachablePlatformIsOneClearError() throws Exception {
        server.bundles.clear();
        assertThatThrownBy(() -> client().fetch(APP, "nobody"))
                .isInstanceOfSatisfying(ReleaseException.class, e -> {
                    assertThat(e.code()).isEqualTo(ReleaseException.UNREACHABLE);
                    assertThat(e.getMessage()).contains("HTTP 404");
                });
    }

    @Test
    void theUserPicksTheRolloutAndSinceCarriesTheCheckpointSize() throws Exception {
        client().fetch(APP, "user-a");
        client.fetch(APP, "user-a");
        assertThat(server.requests).anySatisfy(r -> assertThat(r).isEqualTo("/api/v1/releases/com.example.todo/bundle?user=user-a"))
                .anySatisfy(r -> assertThat(r).isEqualTo("/api/v1/releases/com.example.todo/bundle?user=user-a&since=" + server.log.size()));
    }

    @Test
    void onlyHttpsIsAccepted() {
        assertThatThrownBy(() -> ReleaseClient.start(ReleaseClient.Settings.of(URI.create("http://localhost:1"), server.log.trust(), data)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    @Test
    void aServerNotTrustedForTlsIsUnreachable() throws Exception {
        client = ReleaseClient.start(ReleaseClient.Settings.of(server.url(), server.log.trust(), data)); // the JDK's CAs: not the test CA
        assertThatThrownBy(() -> client.fetch(APP, "tls")).isInstanceOfSatisfying(ReleaseException.class,
                e -> assertThat(e.code()).isEqualTo(ReleaseException.UNREACHABLE));
    }

    private void awaitSequence(long sequence) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ReleaseClientState.read(data.resolve("release-client-state.json")).revocationSequence() < sequence) {
            assertThat(System.nanoTime()).as("the watcher saw sequence " + sequence).isLessThan(deadline);
            Thread.sleep(20);
        }
        client.revocations().refresh();
    }

    private static void awaitLog(Recorder recorder, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Harness.IDLE_WAIT.toNanos();
        while (!recorder.logs().contains(text)) {
            assertThat(System.nanoTime()).as("waiting for log '" + text + "'").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
