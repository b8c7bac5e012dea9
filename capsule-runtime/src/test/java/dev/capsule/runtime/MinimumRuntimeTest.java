package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.SemanticVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import dev.capsule.core.testing.RepoPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** capsule.json's minRuntime: a package that needs a newer runtime is refused at launch, in both tiers, before any guest code runs. */
class MinimumRuntimeTest {
    private static final String MANIFEST_WITHOUT_END = TestApps.MANIFEST.substring(0, TestApps.MANIFEST.lastIndexOf('}'));

    private static dev.capsule.core.pkg.CapsulePackage needing(String minRuntime) {
        return TestApps.app("capsule.json", MANIFEST_WITHOUT_END + ",\"minRuntime\":\"" + minRuntime + "\"}",
                "app.js", "console.log('guest ran'); App({})");
    }

    @Test
    void theVersionIsTheMavenProjectVersion() throws IOException {
        String pom = Files.readString(RepoPaths.root().resolve("capsule-runtime/pom.xml"));
        String parentVersion = pom.substring(pom.indexOf("<version>") + "<version>".length(), pom.indexOf("</version>"));
        assertThat(RuntimeVersion.current()).isEqualTo(SemanticVersion.parse(parentVersion));
        try (InputStream in = RuntimeVersion.class.getResourceAsStream(RuntimeVersion.RESOURCE)) {
            assertThat(in).as("the build wrote " + RuntimeVersion.RESOURCE).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aPackageNeedingANewerRuntimeIsRefusedWithAClearReason(Isolation tier) {
        Recorder recorder = new Recorder();
        assertThatThrownBy(() -> Tiers.harness(tier).runtime.launchUnverified(needing("999.0.0"), "min-" + tier, recorder))
                .isInstanceOfSatisfying(LaunchRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LaunchRefusedException.Reason.RUNTIME_TOO_OLD);
                    assertThat(e.getMessage()).isEqualTo("com.example.test 1.0.0 needs Capsule runtime 999.0.0 or newer; this runtime is "
                            + RuntimeVersion.current());
                });
        assertThat(recorder.all()).as("nothing ran").isEmpty();
    }

    @Test
    void theRefusalIsAudited() {
        var audit = new java.util.concurrent.CopyOnWriteArrayList<dev.capsule.runtime.host.AuditEvent>();
        try (Harness h = new Harness(HostServices.defaults().withAudit(audit::add), RuntimeLimits.DEFAULTS)) {
            assertThatThrownBy(() -> h.runtime.launchUnverified(needing("999.0.0"), "audited", new Recorder()))
                    .isInstanceOf(LaunchRefusedException.class);
        }
        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("launch refused");
            assertThat(a.outcome()).isEqualTo("runtime-too-old");
            assertThat(a.appId()).isEqualTo("com.example.test");
            assertThat(a.userId()).isEqualTo("audited");
        });
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aPackageThisRuntimeMeetsRuns(Isolation tier) {
        String minimum = RuntimeVersion.current().text();
        try (var run = Tiers.harness(tier).run(needing(minimum), "min-ok-" + tier)) {
            assertThat(run.events().logs()).contains("guest ran");
        }
        try (var run = Tiers.harness(tier).run(needing("0.0.1"), "min-low-" + tier)) {
            assertThat(run.events().logs()).contains("guest ran");
        }
    }

    @Test
    void aPreReleaseRuntimeIsBelowItsRelease() {
        assertThat(SemanticVersion.parse("0.1.0-SNAPSHOT").isLowerThan(SemanticVersion.parse("0.1.0"))).isTrue();
    }
}
