package dev.capsule.server.releases.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.registry.MiniProgramId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rollout rules without a server: the documented bucket formula, and what a new release does to the rollout state. */
class RolloutRulesTest {
    private static final MiniProgramId APP = MiniProgramId.of("com.example.rules");

    @Test
    void theBucketIsTheDocumentedHashModuloOneHundred() {
        byte[] digest = Sha256.of("capsule-rollout/1\ncom.example.rules\nalice".getBytes(StandardCharsets.UTF_8)).bytes();
        long expected = Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, 8).getLong(), 100);
        assertThat(RolloutBuckets.bucket("com.example.rules", "alice")).isEqualTo((int) expected);
    }

    @Test
    void bucketsSpreadOverTheRangeAndDifferBetweenApps() {
        long distinct = IntStream.range(0, 1000).map(i -> RolloutBuckets.bucket("com.example.a", "user" + i)).distinct().count();
        assertThat(distinct).as("1000 users fall into nearly all 100 buckets").isGreaterThan(90);
        long same = IntStream.range(0, 200)
                .filter(i -> RolloutBuckets.bucket("com.example.a", "user" + i) == RolloutBuckets.bucket("com.example.b", "user" + i)).count();
        assertThat(same).as("an app's buckets say nothing about another's").isLessThan(20);
    }

    @Test
    void theFirstReleaseIsServedToEveryone() {
        assertThat(Rollouts.afterRelease(Optional.empty(), APP, "1.0.0"))
                .isEqualTo(new ReleaseStore.Rollout(APP, null, "1.0.0", 100, false, null));
    }

    @Test
    void afterACompletedRolloutTheNextStartsAtZeroWithTheFinishedVersionStable() {
        ReleaseStore.Rollout done = new ReleaseStore.Rollout(APP, "1.0.0", "1.1.0", 100, false, 7L);
        assertThat(Rollouts.afterRelease(Optional.of(done), APP, "1.2.0")).isEqualTo(new ReleaseStore.Rollout(APP, "1.1.0", "1.2.0", 0, false, null));
    }

    @Test
    void aReleaseDuringARolloutKeepsItsPercentSoNobodyMovesDown() {
        ReleaseStore.Rollout half = new ReleaseStore.Rollout(APP, "1.0.0", "1.1.0", 50, true, null);
        assertThat(Rollouts.afterRelease(Optional.of(half), APP, "1.2.0")).isEqualTo(new ReleaseStore.Rollout(APP, "1.0.0", "1.2.0", 50, true, null));
    }

    @Test
    void afterARollbackTheNextStartsAtZeroAndTheRollbackStillCoversTheStableVersion() {
        ReleaseStore.Rollout rolledBack = new ReleaseStore.Rollout(APP, "1.0.0", null, 0, false, 9L);
        assertThat(Rollouts.afterRelease(Optional.of(rolledBack), APP, "2.1.0"))
                .isEqualTo(new ReleaseStore.Rollout(APP, "1.0.0", "2.1.0", 0, false, 9L));
    }
}
