package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The release rules a monitor checks entry by entry. */
class ReleaseLogMonitorTest {
    private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");
    private static final String APP = "com.example.todo";

    private static byte[] release(String version) {
        return new ReleaseEntry.Release(APP, version, Sha256.of(new byte[] {1}), new KeyId("cd".repeat(32)), Sha256.of(new byte[] {2}),
                Sha256.of(new byte[] {3}), "operator-1", RiskProfile.CONTENT, T).toCanonicalJson();
    }

    @Test
    void aHistoryThatFollowsTheRulesPasses() {
        ReleaseLogMonitor monitor = new ReleaseLogMonitor();
        assertThat(monitor.problem(0, release("1.0.0"))).isNull();
        assertThat(monitor.problem(1, release("1.1.0"))).isNull();
        assertThat(monitor.problem(2, new ReleaseEntry.Rollout(APP, "1.1.0", 10, false, "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.problem(3, new ReleaseEntry.Rollout(APP, "1.1.0", 10, true, "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.problem(4, new ReleaseEntry.Rollback(APP, "1.0.0", "1.1.0", "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.problem(5, new ReleaseEntry.Revocation(4, APP, "1.1.0", "bad", "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.problem(6, new ReleaseEntry.Revocation(5, APP, "1.0.0", "bad too", "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.entries()).isEqualTo(7);
        assertThat(monitor.miniPrograms()).isEqualTo(1);
    }

    @Test
    void eachBrokenRuleIsNamed() {
        ReleaseLogMonitor monitor = new ReleaseLogMonitor();
        assertThat(monitor.problem(0, release("1.1.0"))).isNull();
        assertThat(monitor.problem(1, release("1.1.0"))).contains("versions must strictly increase");
        assertThat(monitor.problem(2, new ReleaseEntry.Rollback(APP, "1.0.0", "1.1.0", "op", T).toCanonicalJson()))
                .contains("rollback " + APP + " 1.0.0: that version was never released");
        assertThat(monitor.problem(3, new ReleaseEntry.Rollout(APP, "1.2.0", 5, false, "op", T).toCanonicalJson())).contains("never released");
        assertThat(monitor.problem(4, new ReleaseEntry.Revocation(2, APP, "1.1.0", "bad", "op", T).toCanonicalJson())).isNull();
        assertThat(monitor.problem(5, new ReleaseEntry.Revocation(2, APP, "1.1.0", "again", "op", T).toCanonicalJson()))
                .contains("sequences must strictly increase");
        assertThat(monitor.problem(6, "{\"type\":\"release\"}".getBytes(StandardCharsets.UTF_8))).contains("missing required field");
    }
}
