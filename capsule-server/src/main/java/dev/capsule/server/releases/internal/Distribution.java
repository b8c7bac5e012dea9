package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.tlog.StoredEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Builds the release bundle a runtime downloads ({@code capsule-release-bundle/1}): the version this user is
 * served ({@link RolloutBuckets}), its release entry with an inclusion proof in the latest signed checkpoint, a
 * consistency proof from the size the runtime last saw, the rollback entry when the version is served by a
 * rollback, the developer's key and the countersigned package.
 *
 * <p>Security guarantees: a revoked version is never served (410 {@code release-revoked}); every proof is
 * assembled from stored subtree hashes for the checkpoint's own size, so what the bundle claims verifies against
 * the checkpoint it carries or not at all; proofs are at most 64 hashes (RFC 9162 trees of up to 2^63 entries)
 * and the package at most {@link ReleaseBundle#PACKAGE_BYTES_MAX}.
 */
@Component
class Distribution {
    private final ReleaseStore store;
    private final ReleaseLog releaseLog;

    Distribution(ReleaseStore store, ReleaseLog releaseLog) {
        this.store = store;
        this.releaseLog = releaseLog;
    }

    /** The version {@code user} is served, or empty when none is rolled out to that user. */
    Optional<String> servedVersion(ReleaseStore.Rollout rollout, String user) {
        if (rollout.rolling() != null && RolloutBuckets.bucket(rollout.app().value(), user) < rollout.percent()) {
            return Optional.of(rollout.rolling());
        }
        return Optional.ofNullable(rollout.stable());
    }

    ReleaseBundle bundle(String appText, String user, Optional<Long> since) {
        MiniProgramId app = MiniProgramId.parse(appText).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "the app id must be reverse-DNS in lower case, like com.example.todo"));
        if (!CapsuleRuntime.isValidUserId(user)) {
            throw new ProblemException(ProblemType.VALIDATION, "user must be the user's pairwise id as the runtime takes it");
        }
        if (since.isPresent() && since.get() < 0) {
            throw new ProblemException(ProblemType.VALIDATION, "since must be >= 0");
        }
        ReleaseStore.Rollout rollout = store.rollout(app).orElseThrow(() -> new ProblemException(ReleaseProblems.NOT_RELEASED,
                app + " has no released version"));
        String version = servedVersion(rollout, user).orElseThrow(() -> new ProblemException(ReleaseProblems.NOT_RELEASED,
                app + " has no version rolled out to this user yet"));
        store.revocation(app, version).ifPresent(revoked -> {
            throw new ProblemException(ReleaseProblems.REVOKED, app + " " + version + " is revoked", Map.of("version", version));
        });
        ReleaseStore.Released released = store.released(app, version).orElseThrow(() -> new IllegalStateException(
                "the rollout of " + app + " names " + version + ", which has no stored release"));
        ReleaseLog.StoredCheckpoint checkpoint = releaseLog.freshCheckpoint()
                .orElseThrow(() -> new IllegalStateException("the release log has a release but no checkpoint"));
        long size = checkpoint.size();
        if (since.isPresent() && since.get() > size) {
            throw new ProblemException(ReleaseProblems.BEYOND_LOG, "since " + since.get() + " is beyond the release log's " + size + " entries",
                    Map.of("logSize", size));
        }
        List<byte[]> consistency = since.filter(from -> from >= 1 && from < size)
                .map(from -> releaseLog.tree().consistencyProof(from, size)).orElse(List.of());
        Optional<ReleaseBundle.IncludedEntry> rollbackEntry = Optional.ofNullable(rollout.rollbackEntry())
                .filter(index -> version.equals(rollout.stable()))
                .map(index -> new ReleaseBundle.IncludedEntry(index, entry(index), releaseLog.tree().inclusionProof(index, size)));
        return new ReleaseBundle(app.value(), version, released.entryIndex(), entry(released.entryIndex()),
                releaseLog.tree().inclusionProof(released.entryIndex(), size), checkpoint.note(), consistency, rollbackEntry,
                developerKey(released), store.packageBytes(app, version));
    }

    private byte[] entry(long index) {
        List<StoredEntry> entries = releaseLog.tree().entries(index, index + 1);
        if (entries.isEmpty()) {
            throw new IllegalStateException("release log entry " + index + " is missing");
        }
        return entries.getFirst().entry();
    }

    private static VerifyingKey developerKey(ReleaseStore.Released released) {
        try {
            return VerifyingKey.fromPem(released.developerKeyPem());
        } catch (KeyFormatException e) {
            throw new IllegalStateException("the stored developer key of " + released.app() + " " + released.version() + " does not parse", e);
        }
    }
}
