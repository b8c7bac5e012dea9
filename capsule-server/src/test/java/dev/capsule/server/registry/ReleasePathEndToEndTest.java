package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.LaunchRefusedException;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.release.ReleaseClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.StorageLimits;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The whole path of issue #12 against one real server (HTTPS, PostgreSQL, the real registry and releases modules)
 * and the real runtime, in one test: an operator registers an organisation and its key → the developer submits
 * with its bound API key → the automated review's findings are kept → a reviewer who is not the submitter approves
 * → the platform countersigns and logs the release → the runtime downloads the bundle, verifies signatures,
 * inclusion proof and checkpoint against the pinned platform trust file and launches it → a security officer pulls
 * the kill switch → the running session ends with {@code revoked} within 5 s, and a new launch is refused.
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class ReleasePathEndToEndTest {
    /** A page that keeps the session busy with a timer, so it is running when the kill switch is pulled. */
    private static final java.util.Map<String, String> RUNNING_PAGE = java.util.Map.of("pages/index/index.js",
            "Page({ data: { ticks: 0 }, onLoad() { setInterval(() => {}, 200); console.log('running'); } })\n");

    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    ServerCertificate certificate;

    @TempDir
    Path runtimeData;

    @Test
    void aSubmittedPackageIsReviewedApprovedReleasedVerifiedRunAndStoppedEverywhereByTheKillSwitch() throws Exception {
        TestAdvisories.imported(context);
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        SignedInOperators.Session reviewer = registry.operators.signIn("e2e-reviewer", Role.REVIEWER);

        // Submit: developer-signed, through the organisation's API key.
        byte[] pkg = RegistryFixture.signed(developer.key(), developer.appId(), "1.0.0", RUNNING_PAGE);
        String versionId = registry.submitted(developer, pkg);

        // Findings: the automated review's report is kept with the version.
        HttpResponse<String> findings = https.get("/api/v1/packages/" + versionId + "/findings", registry.admin.headers());
        assertThat(findings.statusCode()).as(findings.body()).isEqualTo(200);
        assertThat(TestHttps.json(findings).get("findings").isArray()).isTrue();

        // Approve by a different operator, with a risk profile.
        HttpResponse<String> approved = registry.approve(versionId, "utility", reviewer);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        // The release log holds the release entry, publicly readable (the context's log may hold other tests' entries too).
        HttpResponse<String> checkpoint = https.get("/api/v1/releases/log/checkpoint");
        assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(200);
        long size = Long.parseLong(checkpoint.body().split("\n")[1]);
        assertThat(size).isBetween(1L, 1000L);
        HttpResponse<String> entries = https.get("/api/v1/releases/log/entries?start=0&end=" + size);
        assertThat(entries.statusCode()).as(entries.body()).isEqualTo(200);
        List<ReleaseEntry.Release> releases = new java.util.ArrayList<>();
        for (JsonNode logged : TestHttps.json(entries).get("entries")) {
            if (ReleaseEntry.parse(Base64.getDecoder().decode(logged.get("entry").asString())) instanceof ReleaseEntry.Release release
                    && release.appId().equals(developer.appId())) {
                releases.add(release);
            }
        }
        assertThat(releases).singleElement().satisfies(release -> {
            assertThat(release.version()).isEqualTo("1.0.0");
            assertThat(release.approver()).isEqualTo(String.valueOf(reviewer.operatorId()));
            assertThat(release.preset().code()).isEqualTo("utility");
        });

        // The runtime pins the platform trust file (here fetched once, as an operator would hand it out) and downloads.
        PlatformTrust trust = PlatformTrust.parse(https.get("/api/v1/releases/platform-trust").body().getBytes(StandardCharsets.UTF_8));
        ReleaseClient.Settings settings = ReleaseClient.Settings.of(URI.create(https.uri("").toString()), trust, runtimeData)
                .withTls(TestHttps.trusting(certificate.certificatePem()))
                .withRevocationPoll(Duration.ofSeconds(1));
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        try (CapsuleRuntime runtime = new CapsuleRuntime(Isolation.IN_PROCESS, RuntimeLimits.DEFAULTS, HostServices.defaults(),
                EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS), GuardedHttpClient.create(),
                WorkerLimits.DEFAULTS);
             ReleaseClient client = ReleaseClient.start(settings)) {
            MiniProgramSession session = client.launch(runtime, developer.appId(), "e2e-user", event -> {
                events.add(event);
                if (event instanceof RuntimeEvent.Log log && log.text().contains("running")) {
                    running.countDown();
                }
                if (event instanceof RuntimeEvent.Exit) {
                    exited.countDown();
                }
            });
            try {
                assertThat(running.await(30, TimeUnit.SECONDS)).as("the verified release runs").isTrue();
                assertThat(events.getFirst()).isInstanceOfSatisfying(RuntimeEvent.Launch.class,
                        launch -> assertThat(launch.version()).isEqualTo("1.0.0"));

                // Kill switch: a security officer (stepped up at sign-in) revokes the version.
                HttpResponse<String> revoked = registry.post("/api/v1/releases/" + developer.appId() + "/revocations",
                        "{\"version\": \"1.0.0\", \"reason\": \"exfiltrates contacts\"}", registry.officer.headers());
                long revokedAt = System.nanoTime();
                assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

                assertThat(exited.await(5, TimeUnit.SECONDS)).as("the running session ends within 5 s").isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt)).isLessThan(5_000);
                assertThat(events.getLast()).isInstanceOfSatisfying(RuntimeEvent.Exit.class, exit -> {
                    assertThat(exit.code()).isEqualTo(1);
                    assertThat(exit.reason()).startsWith("revoked: ").contains("exfiltrates contacts");
                });
            } finally {
                session.close();
            }

            // And the revoked version never starts again.
            assertThatThrownBy(() -> client.launch(runtime, developer.appId(), "e2e-user", event -> { }))
                    .isInstanceOfSatisfying(LaunchRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.REVOKED));
        }
    }
}
