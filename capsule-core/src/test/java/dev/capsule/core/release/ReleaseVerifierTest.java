package dev.capsule.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.release.ReleaseOutcome.Reason;
import dev.capsule.core.testing.TestReleaseLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The runtime's check of a release bundle: the happy paths (first use, growth, legitimate rollback) and each attack
 * of the issue rejected with its own reason.
 */
class ReleaseVerifierTest {
    private static final String APP = "com.example.todo";
    private static final Instant NOW = TestReleaseLog.T0.plus(Duration.ofHours(2));
    private static final Instant PUBLISHED = NOW.minus(Duration.ofMinutes(30));

    private final TestReleaseLog log = new TestReleaseLog();
    private final SigningKey developer = SigningKey.generate();
    private final byte[] v1 = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.of(log.countersignKey));
    private final long v1Index;
    private final ReleaseVerifier verifier = new ReleaseVerifier(log.trust(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));

    ReleaseVerifierTest() {
        log.append(new ReleaseEntry.MinimumRuntime("1.0.0", "operator-1", TestReleaseLog.T0));
        v1Index = log.append(TestReleaseLog.release(APP, "1.0.0", v1, developer.publicKey(), TestReleaseLog.T0));
        log.append(new ReleaseEntry.Rollout(APP, "1.0.0", 100, false, "operator-1", TestReleaseLog.T0));
    }

    private ReleaseBundle v1Bundle() {
        return log.bundle(APP, "1.0.0", v1Index, log.size(), PUBLISHED, 0, Optional.empty(), developer.publicKey(), v1);
    }

    private ReleaseOutcome.Verified verified(ReleaseOutcome outcome) {
        assertThat(outcome).isInstanceOf(ReleaseOutcome.Verified.class);
        return (ReleaseOutcome.Verified) outcome;
    }

    private static void assertRejected(ReleaseOutcome outcome, Reason reason, String messagePart) {
        assertThat(outcome).isInstanceOfSatisfying(ReleaseOutcome.Rejected.class, r -> {
            assertThat(r.reason()).as(r.message()).isEqualTo(reason);
            assertThat(r.message()).contains(messagePart);
        });
    }

    /** A bundle like {@code good} with other parts. */
    private static ReleaseBundle with(ReleaseBundle good, long index, byte[] entry, List<byte[]> proof, String checkpoint,
            List<byte[]> consistency, Optional<ReleaseBundle.IncludedEntry> rollback, byte[] pkg) {
        return new ReleaseBundle(good.appId(), good.version(), index, entry, proof, checkpoint, consistency, rollback, good.developerKey(), pkg);
    }

    @Test
    void firstUseVerifiesTheLoggedCountersignedPackageAndRecordsCheckpointAndVersion() {
        ReleaseOutcome.Verified ok = verified(verifier.verify(APP, v1Bundle(), ReleaseClientState.empty()));
        assertThat(ok.pkg().manifest().id()).isEqualTo(APP);
        assertThat(ok.entry().preset()).isEqualTo(RiskProfile.UTILITY);
        assertThat(ok.newState().checkpoint()).contains(ok.checkpoint());
        assertThat(ok.checkpoint().size()).isEqualTo(log.size());
        assertThat(ok.checkpoint().time()).contains(PUBLISHED);
        assertThat(ok.newState().highestVersion(APP)).contains(SemanticVersion.parse("1.0.0"));
    }

    @Test
    void aGrownLogIsAcceptedWithAValidConsistencyProofFromTheStoredCheckpoint() {
        ReleaseClientState seen = verified(verifier.verify(APP, v1Bundle(), ReleaseClientState.empty())).newState();
        long since = seen.checkpoint().orElseThrow().size();
        byte[] v2 = TestReleaseLog.pack(APP, "1.1.0", developer, Optional.of(log.countersignKey));
        long v2Index = log.append(TestReleaseLog.release(APP, "1.1.0", v2, developer.publicKey(), TestReleaseLog.T0));
        log.append(new ReleaseEntry.Rollout(APP, "1.1.0", 10, false, "operator-1", TestReleaseLog.T0));
        ReleaseBundle grown = log.bundle(APP, "1.1.0", v2Index, log.size(), NOW, since, Optional.empty(), developer.publicKey(), v2);

        ReleaseOutcome.Verified ok = verified(verifier.verify(APP, grown, seen));
        assertThat(ok.newState().checkpoint().orElseThrow().size()).isEqualTo(log.size());
        assertThat(ok.newState().highestVersion(APP)).contains(SemanticVersion.parse("1.1.0"));

        // The same growth without the proof, or with a wrong one: the log could have been rewritten.
        assertRejected(verifier.verify(APP, with(grown, v2Index, grown.entry(), grown.inclusionProof(), grown.checkpoint(), List.of(),
                Optional.empty(), v2), seen), Reason.INCONSISTENT, "no valid consistency proof from size " + since);
        List<byte[]> bent = new ArrayList<>(grown.consistencyProof());
        bent.set(0, MerkleHash.leafHash("other".getBytes(StandardCharsets.UTF_8)));
        assertRejected(verifier.verify(APP, with(grown, v2Index, grown.entry(), grown.inclusionProof(), grown.checkpoint(), bent,
                Optional.empty(), v2), seen), Reason.INCONSISTENT, "no valid consistency proof");
    }

    @Test
    void aRewrittenLogOfTheSameLengthIsASplitView() {
        ReleaseClientState seen = verified(verifier.verify(APP, v1Bundle(), ReleaseClientState.empty())).newState();
        // The same key signs another root for the same size: what another client would be shown.
        byte[] otherRoot = MerkleHash.leafHash("another history".getBytes(StandardCharsets.UTF_8));
        String other = TestReleaseLog.checkpoint(log.size(), otherRoot, NOW, log.checkpointKey);
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), other, List.of(), Optional.empty(), v1), seen),
                Reason.SPLIT_VIEW, "another root");
        // The same size and root, published later: fine (a refreshed checkpoint).
        ReleaseBundle refreshed = log.bundle(APP, "1.0.0", v1Index, log.size(), NOW, log.size(), Optional.empty(), developer.publicKey(), v1);
        assertThat(verifier.verify(APP, refreshed, seen)).isInstanceOf(ReleaseOutcome.Verified.class);
    }

    @Test
    void aSmallerLogThanTheOneSeenIsRefused() {
        ReleaseClientState seen = verified(verifier.verify(APP, v1Bundle(), ReleaseClientState.empty())).newState();
        ReleaseBundle shrunk = log.bundle(APP, "1.0.0", v1Index, log.size() - 1, NOW, 0, Optional.empty(), developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, shrunk, seen), Reason.INCONSISTENT, "rolled back");
    }

    @Test
    void anOldCheckpointIsRefusedAsAFreeze() {
        Instant tooOld = NOW.minus(Duration.ofHours(24)).minusSeconds(1);
        ReleaseBundle frozen = log.bundle(APP, "1.0.0", v1Index, log.size(), tooOld, 0, Optional.empty(), developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, frozen, ReleaseClientState.empty()), Reason.CHECKPOINT_STALE, "may be frozen");
        // Exactly at the maximum age it is still fresh.
        ReleaseBundle edge = log.bundle(APP, "1.0.0", v1Index, log.size(), NOW.minus(Duration.ofHours(24)), 0, Optional.empty(),
                developer.publicKey(), v1);
        assertThat(verifier.verify(APP, edge, ReleaseClientState.empty())).isInstanceOf(ReleaseOutcome.Verified.class);
    }

    @Test
    void aCheckpointOlderThanTheStoredOneOrFromTheFutureOrWithoutTimeIsStale() {
        ReleaseClientState seen = verified(verifier.verify(APP, v1Bundle(), ReleaseClientState.empty())).newState();
        ReleaseBundle older = log.bundle(APP, "1.0.0", v1Index, log.size(), PUBLISHED.minusSeconds(1), 0, Optional.empty(), developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, older, seen), Reason.CHECKPOINT_STALE, "before the one already seen");
        ReleaseBundle future = log.bundle(APP, "1.0.0", v1Index, log.size(), NOW.plus(Duration.ofMinutes(6)), 0, Optional.empty(),
                developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, future, ReleaseClientState.empty()), Reason.CHECKPOINT_STALE, "in the future");
        String untimed = new Checkpoint(TestReleaseLog.ORIGIN, log.size(), log.root(log.size()))
                .sign(log.checkpointKey.publicKey(), log.checkpointKey::sign).encodedText();
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), untimed, List.of(), Optional.empty(), v1),
                ReleaseClientState.empty()), Reason.CHECKPOINT_STALE, "no time line");
    }

    @Test
    void aCheckpointSignedByAPlatformKeyOfAnotherPurposeIsRefused() {
        ReleaseBundle good = v1Bundle();
        for (SigningKey wrongPurpose : List.of(log.revocationKey, log.countersignKey)) {
            String note = TestReleaseLog.checkpoint(log.size(), log.root(log.size()), PUBLISHED, wrongPurpose);
            assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), note, List.of(), Optional.empty(), v1),
                    ReleaseClientState.empty()), Reason.CHECKPOINT_SIGNATURE, "no signature by a trusted key");
        }
    }

    @Test
    void aCheckpointOfAnotherLogIsRefused() {
        String note = Checkpoint.timed("capsule.local/releases/other", log.size(), log.root(log.size()), PUBLISHED)
                .sign(log.checkpointKey.publicKey(), log.checkpointKey::sign).encodedText();
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), note, List.of(), Optional.empty(), v1),
                ReleaseClientState.empty()), Reason.CHECKPOINT_ORIGIN, "capsule.local/releases/other");
    }

    @Test
    void aForgedEntryForAnotherCountersignedPackageIsNotIncluded() {
        // The attacker holds a validly countersigned package (say, an old one) and writes an entry for it at v1's index.
        byte[] evil = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.of(log.countersignKey),
                Map.of("evil.js", "steal()".getBytes(StandardCharsets.UTF_8)));
        byte[] forged = TestReleaseLog.release(APP, "1.0.0", evil, developer.publicKey(), TestReleaseLog.T0).toCanonicalJson();
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, forged, good.inclusionProof(), good.checkpoint(), List.of(), Optional.empty(), evil),
                ReleaseClientState.empty()), Reason.NOT_INCLUDED, "is not entry " + v1Index);
    }

    @Test
    void anEntryTheLogOmitsCannotBorrowAnotherEntrysProof() {
        // A release the platform never logged, shown with the inclusion proof of a real entry, or beyond the log's end.
        byte[] unlogged = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.of(log.countersignKey), Map.of("x.js", new byte[] {1}));
        byte[] entry = TestReleaseLog.release(APP, "1.0.0", unlogged, developer.publicKey(), TestReleaseLog.T0).toCanonicalJson();
        ReleaseBundle good = v1Bundle();
        for (long index = 0; index < log.size(); index++) {
            assertRejected(verifier.verify(APP, with(good, index, entry, log.inclusionProof(index, log.size()), good.checkpoint(), List.of(),
                    Optional.empty(), unlogged), ReleaseClientState.empty()), Reason.NOT_INCLUDED, "forged or omitted");
        }
        assertRejected(verifier.verify(APP, with(good, log.size(), entry, List.of(), good.checkpoint(), List.of(), Optional.empty(), unlogged),
                ReleaseClientState.empty()), Reason.NOT_INCLUDED, "forged or omitted");
    }

    @Test
    void aValidlyCountersignedPackageWhoseLoggedEntryNamesAnotherDigestIsRefused() {
        byte[] other = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.of(log.countersignKey),
                Map.of("extra.js", "1".getBytes(StandardCharsets.UTF_8)));
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), good.checkpoint(), List.of(), Optional.empty(),
                other), ReleaseClientState.empty()), Reason.ENTRY_MISMATCH, "the release log entry names sha256:");
    }

    @Test
    void theEntryMustReleaseTheAskedAppAndTheServedVersion() {
        assertRejected(verifier.verify("com.example.other", v1Bundle(), ReleaseClientState.empty()), Reason.ENTRY_MISMATCH, "asked for");
        assertRejected(verifier.verify("com.example.\u202etodo\n", v1Bundle(), ReleaseClientState.empty()), Reason.ENTRY_MISMATCH,
                "\\u202e");
        long rolloutIndex = v1Index + 1;
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, rolloutIndex, log.entry(rolloutIndex), log.inclusionProof(rolloutIndex, log.size()),
                good.checkpoint(), List.of(), Optional.empty(), v1), ReleaseClientState.empty()), Reason.ENTRY_MISMATCH, "rollout entry");
    }

    @Test
    void aPackageSignedByAnotherDeveloperKeyThanTheLoggedOneIsRefused() {
        SigningKey stranger = SigningKey.generate();
        byte[] strangers = TestReleaseLog.pack(APP, "1.0.0", stranger, Optional.of(log.countersignKey));
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), good.checkpoint(), List.of(), Optional.empty(),
                strangers), ReleaseClientState.empty()), Reason.DEVELOPER_SIGNATURE, "developer signature");
        // Handing the stranger's key instead does not help: the entry names the logged key.
        ReleaseBundle withStrangersKey = new ReleaseBundle(APP, "1.0.0", v1Index, good.entry(), good.inclusionProof(), good.checkpoint(),
                List.of(), Optional.empty(), stranger.publicKey(), strangers);
        assertRejected(verifier.verify(APP, withStrangersKey, ReleaseClientState.empty()), Reason.ENTRY_MISMATCH, "developer key");
    }

    @Test
    void aPackageWithoutACountersignatureByAPackageCountersignatureKeyIsRefused() {
        ReleaseBundle good = v1Bundle();
        byte[] developerOnly = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.empty());
        byte[] byCheckpointKey = TestReleaseLog.pack(APP, "1.0.0", developer, Optional.of(log.checkpointKey));
        for (byte[] pkg : List.of(developerOnly, byCheckpointKey)) {
            assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), good.checkpoint(), List.of(),
                    Optional.empty(), pkg), ReleaseClientState.empty()), Reason.PLATFORM_SIGNATURE, "platform countersignature");
        }
    }

    @Test
    void anUnreadablePackageIsInvalid() {
        ReleaseBundle good = v1Bundle();
        assertRejected(verifier.verify(APP, with(good, v1Index, good.entry(), good.inclusionProof(), good.checkpoint(), List.of(), Optional.empty(),
                "not a zip".getBytes(StandardCharsets.UTF_8)), ReleaseClientState.empty()), Reason.PACKAGE_INVALID, "");
    }

    @Test
    void aLowerVersionThanSeenWithoutARollbackEntryIsRefused() {
        ReleaseClientState sawV2 = new ReleaseClientState(Optional.empty(), Map.of(APP, SemanticVersion.parse("2.0.0")), 0);
        assertRejected(verifier.verify(APP, v1Bundle(), sawV2), Reason.ROLLBACK, "no rollback entry");
    }

    @Test
    void aLegitimateRollbackWithAnIncludedRollbackEntryIsAccepted() {
        byte[] v2 = TestReleaseLog.pack(APP, "2.0.0", developer, Optional.of(log.countersignKey));
        log.append(TestReleaseLog.release(APP, "2.0.0", v2, developer.publicKey(), TestReleaseLog.T0));
        long rollbackIndex = log.append(new ReleaseEntry.Rollback(APP, "1.0.0", "2.0.0", "operator-2", TestReleaseLog.T0));
        ReleaseClientState sawV2 = new ReleaseClientState(Optional.empty(), Map.of(APP, SemanticVersion.parse("2.0.0")), 0);
        ReleaseBundle rollback = log.bundle(APP, "1.0.0", v1Index, log.size(), PUBLISHED, 0, Optional.of(rollbackIndex), developer.publicKey(), v1);

        ReleaseOutcome.Verified ok = verified(verifier.verify(APP, rollback, sawV2));
        assertThat(ok.pkg().manifest().version()).isEqualTo("1.0.0");
        assertThat(ok.newState().highestVersion(APP)).as("the highest version seen never goes down").contains(SemanticVersion.parse("2.0.0"));

        // The same rollback entry with a proof for another index, or one that was never logged.
        ReleaseBundle.IncludedEntry misplaced = new ReleaseBundle.IncludedEntry(rollbackIndex - 1, log.entry(rollbackIndex),
                log.inclusionProof(rollbackIndex - 1, log.size()));
        assertRejected(verifier.verify(APP, with(rollback, v1Index, rollback.entry(), rollback.inclusionProof(), rollback.checkpoint(), List.of(),
                Optional.of(misplaced), v1), sawV2), Reason.NOT_INCLUDED, "rollback entry");
    }

    @Test
    void aRollbackEntryForAnotherVersionOrAnOlderRollbackReplayedIsRefused() {
        long toOther = log.append(new ReleaseEntry.Rollback(APP, "1.5.0", "2.0.0", "operator-2", TestReleaseLog.T0));
        long stale = log.append(new ReleaseEntry.Rollback(APP, "1.0.0", "2.0.0", "operator-2", TestReleaseLog.T0));
        ReleaseClientState sawV2 = new ReleaseClientState(Optional.empty(), Map.of(APP, SemanticVersion.parse("2.0.0")), 0);
        ReleaseBundle wrongTarget = log.bundle(APP, "1.0.0", v1Index, log.size(), PUBLISHED, 0, Optional.of(toOther), developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, wrongTarget, sawV2), Reason.ROLLBACK, "not a rollback of " + APP + " to 1.0.0");
        // The client has since seen 3.0.0: the old rollback from 2.0.0 does not allow going back to 1.0.0 now.
        ReleaseClientState sawV3 = new ReleaseClientState(Optional.empty(), Map.of(APP, SemanticVersion.parse("3.0.0")), 0);
        ReleaseBundle replay = log.bundle(APP, "1.0.0", v1Index, log.size(), PUBLISHED, 0, Optional.of(stale), developer.publicKey(), v1);
        assertRejected(verifier.verify(APP, replay, sawV3), Reason.ROLLBACK, "stale rollback");
        assertThat(verifier.verify(APP, replay, sawV2)).isInstanceOf(ReleaseOutcome.Verified.class);
    }
}
