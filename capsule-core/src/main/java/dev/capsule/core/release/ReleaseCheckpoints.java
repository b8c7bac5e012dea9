package dev.capsule.core.release;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.CheckpointVerification;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.release.ReleaseOutcome.Reason;
import dev.capsule.core.release.ReleaseOutcome.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The first three checks of {@link ReleaseVerifier}, shared with the outside verifier ({@code capsule releases
 * verify}): a release-log checkpoint is signed by a {@code release-checkpoint} key of the trust file, is of its
 * origin, is fresh, and is consistent with the checkpoint the client stored before.
 */
public final class ReleaseCheckpoints {
    /** How far ahead of the local clock a checkpoint's time may lie. */
    public static final Duration CLOCK_SKEW_MAX = Duration.ofMinutes(5);

    private ReleaseCheckpoints() {}

    /** The outcome: the verified checkpoint, or the first failed check. */
    public sealed interface Check {}

    /** Signed, of the trusted origin, fresh and consistent with the stored checkpoint. */
    public record Accepted(Checkpoint checkpoint) implements Check {}

    /** Refused with one of the checkpoint reasons of {@link Reason}. */
    public record Refused(Rejected rejection) implements Check {}

    /**
     * Checks {@code note}, in order: signature by a {@code release-checkpoint} key ({@code checkpoint-signature}),
     * origin ({@code checkpoint-origin}), freshness at {@code now} ({@code checkpoint-stale}: no time, older than
     * {@code ageMax}, more than {@link #CLOCK_SKEW_MAX} ahead, or published before the stored one), consistency
     * with the stored checkpoint of the same origin ({@code split-view}: same size, other root;
     * {@code inconsistent-log}: smaller, or no valid {@code consistencyProof} from its size).
     *
     * <p>Security guarantees: {@link Accepted} only when all of the above hold; a stored checkpoint of another
     * origin (the operator pinned another platform) is ignored, never compared.
     */
    public static Check check(String note, PlatformTrust trust, Optional<Checkpoint> stored, List<byte[]> consistencyProof, Instant now,
            Duration ageMax) {
        Checkpoint checkpoint;
        switch (CheckpointVerification.verify(note.getBytes(StandardCharsets.UTF_8), trust.keys(PlatformTrust.Purpose.RELEASE_CHECKPOINT))) {
            case CheckpointVerification.Rejected r -> {
                return refuse(Reason.CHECKPOINT_SIGNATURE, "release log checkpoint: " + r.reason());
            }
            case CheckpointVerification.Verified v -> checkpoint = v.checkpoint();
        }
        if (!checkpoint.origin().equals(trust.origin())) {
            return refuse(Reason.CHECKPOINT_ORIGIN, "the checkpoint is of log " + checkpoint.origin() + ", not the trusted " + trust.origin());
        }
        Optional<Checkpoint> seen = stored.filter(c -> c.origin().equals(trust.origin()));
        Check stale = freshness(checkpoint, seen, now, ageMax);
        if (stale != null) {
            return stale;
        }
        Check inconsistent = consistency(checkpoint, seen, consistencyProof);
        return inconsistent != null ? inconsistent : new Accepted(checkpoint);
    }

    private static Check freshness(Checkpoint checkpoint, Optional<Checkpoint> stored, Instant now, Duration ageMax) {
        if (checkpoint.time().isEmpty()) {
            return refuse(Reason.CHECKPOINT_STALE, "the checkpoint has no time line, so its age cannot be checked");
        }
        Instant time = checkpoint.time().get();
        if (time.isAfter(now.plus(CLOCK_SKEW_MAX))) {
            return refuse(Reason.CHECKPOINT_STALE, "the checkpoint's time " + time + " is in the future (local clock " + now + ")");
        }
        if (Duration.between(time, now).compareTo(ageMax) > 0) {
            return refuse(Reason.CHECKPOINT_STALE, "the checkpoint was published at " + time + ", more than " + ageMax
                    + " ago: the log may be frozen");
        }
        Optional<Instant> storedTime = stored.flatMap(Checkpoint::time);
        if (storedTime.isPresent() && time.isBefore(storedTime.get())) {
            return refuse(Reason.CHECKPOINT_STALE, "the checkpoint was published at " + time + ", before the one already seen ("
                    + storedTime.get() + ")");
        }
        return null;
    }

    private static Check consistency(Checkpoint checkpoint, Optional<Checkpoint> stored, List<byte[]> proof) {
        if (stored.isEmpty()) {
            return null;
        }
        Checkpoint seen = stored.get();
        if (checkpoint.size() == seen.size()) {
            return MerkleHash.equal(checkpoint.rootHash(), seen.rootHash()) ? null
                    : refuse(Reason.SPLIT_VIEW, "the log of size " + seen.size() + " has another root than the one already seen:"
                            + " the server shows different logs to different clients");
        }
        if (checkpoint.size() < seen.size()) {
            return refuse(Reason.INCONSISTENT, "the checkpoint's size " + checkpoint.size() + " is below " + seen.size()
                    + ", already seen: the log was rolled back");
        }
        if (seen.size() == 0) {
            return null; // the empty tree is a prefix of every tree
        }
        if (!MerkleProofs.verifyConsistency(seen.size(), checkpoint.size(), proof, seen.rootHash(), checkpoint.rootHash())) {
            return refuse(Reason.INCONSISTENT, "no valid consistency proof from size " + seen.size() + " to " + checkpoint.size()
                    + ": the log was rewritten");
        }
        return null;
    }

    private static Refused refuse(Reason reason, String message) {
        return new Refused(new Rejected(reason, message));
    }
}
