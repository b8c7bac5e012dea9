package dev.capsule.core.release;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.pkg.AppIdPattern;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.TrustedKey;
import dev.capsule.core.pkg.Verification;
import dev.capsule.core.release.ReleaseOutcome.Reason;
import dev.capsule.core.release.ReleaseOutcome.Rejected;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a client may launch a release bundle: the release log vouches for it, the log is the one every
 * client sees, and nothing is stale or rolled back. The checks run in this order, each failing with its own
 * {@link Reason}:
 * <ol>
 *   <li>checkpoint signature by a {@code release-checkpoint} key ({@code checkpoint-signature}), its origin is the
 *       trust file's ({@code checkpoint-origin});
 *   <li>freshness: it carries a time, at most the maximum age old, not older than the stored one, not ahead of the
 *       clock by more than {@link ReleaseCheckpoints#CLOCK_SKEW_MAX} ({@code checkpoint-stale});
 *   <li>consistency with the stored checkpoint: same size needs the same root ({@code split-view}); a larger one
 *       needs a valid consistency proof and a smaller one is refused ({@code inconsistent-log});
 *   <li>inclusion of the entry at its index ({@code entry-not-included});
 *   <li>entry ↔ package: a release entry for the requested app id and the bundle's version, whose package digest is
 *       the package's digest-manifest SHA-256 and whose developer key id is the bundle's developer key
 *       ({@code entry-mismatch}; an unreadable archive is {@code package-invalid});
 *   <li>developer signature by that key, bound to the app id ({@code developer-signature});
 *   <li>platform countersignature (role platform) by a {@code package-countersignature} key
 *       ({@code platform-countersignature});
 *   <li>rollback: a version lower than the highest seen for the app needs an included rollback entry to exactly
 *       this version from a version at least as high as the highest seen ({@code rollback}).
 * </ol>
 *
 * <p>Security guarantees: {@link ReleaseOutcome.Verified} only when all of the above hold, so the package a client
 * launches is the one the platform logged (an entry naming another digest, a forged or omitted entry, a checkpoint
 * of a key with another purpose, a split view, a frozen or rolled-back log or version are each refused). The new
 * state is returned, never written: the caller stores it before launching. Not guaranteed: that the version is not
 * revoked (check the {@link RevocationList}), or that the platform's keys are not compromised (the log makes such
 * misuse visible to monitors, it does not prevent it).
 */
public final class ReleaseVerifier {
    /** The runtime's default maximum checkpoint age: the server refreshes its checkpoint every hour. */
    public static final Duration CHECKPOINT_AGE_MAX_DEFAULT = Duration.ofHours(24);

    private final PlatformTrust trust;
    private final Clock clock;
    private final Duration checkpointAgeMax;
    private final PackageLimits limits;

    /** A verifier applying the default package limits ({@link PackageLimits#DEFAULTS}). */
    public ReleaseVerifier(PlatformTrust trust, Clock clock, Duration checkpointAgeMax) {
        this(trust, clock, checkpointAgeMax, PackageLimits.DEFAULTS);
    }

    /** A verifier reading packages within {@code limits} (the runtime's own). */
    public ReleaseVerifier(PlatformTrust trust, Clock clock, Duration checkpointAgeMax, PackageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (checkpointAgeMax == null || checkpointAgeMax.isNegative() || checkpointAgeMax.isZero()) {
            throw new IllegalArgumentException("checkpointAgeMax must be positive");
        }
        this.checkpointAgeMax = checkpointAgeMax;
    }

    /**
     * Verifies {@code bundle}, which the client asked for as {@code appId}, against what it remembers.
     *
     * @param state the client's state (the bundle should have been asked for with {@code since} = its checkpoint's size)
     */
    public ReleaseOutcome verify(String appId, ReleaseBundle bundle, ReleaseClientState state) {
        if (!CapsuleManifest.isValidId(appId)) {
            return reject(Reason.ENTRY_MISMATCH, "asked for '" + appId + "', which is not a mini-program id");
        }
        // 1-3. checkpoint signature and origin, freshness, consistency with the stored checkpoint
        Checkpoint checkpoint;
        switch (ReleaseCheckpoints.check(bundle.checkpoint(), trust, state.checkpoint(), bundle.consistencyProof(), clock.instant(),
                checkpointAgeMax)) {
            case ReleaseCheckpoints.Refused refused -> {
                return refused.rejection();
            }
            case ReleaseCheckpoints.Accepted accepted -> checkpoint = accepted.checkpoint();
        }
        // 4. inclusion
        ReleaseEntry parsed;
        if (!included(bundle.releaseEntry(), checkpoint)) {
            return reject(Reason.NOT_INCLUDED, "the release entry is not entry " + bundle.entryIndex() + " of the log of size "
                    + checkpoint.size() + ": forged or omitted");
        }
        try {
            parsed = ReleaseEntry.parse(bundle.entry());
        } catch (ReleaseFormatException e) {
            return reject(Reason.ENTRY_MISMATCH, e.getMessage());
        }
        // 5. entry <-> package
        if (!(parsed instanceof ReleaseEntry.Release entry)) {
            return reject(Reason.ENTRY_MISMATCH, "entry " + bundle.entryIndex() + " is a " + parsed.type() + " entry, not a release");
        }
        if (!entry.appId().equals(appId) || !bundle.appId().equals(appId)) {
            return reject(Reason.ENTRY_MISMATCH, "asked for " + appId + ", the bundle and its entry are for " + bundle.appId() + " / " + entry.appId());
        }
        if (!entry.version().equals(bundle.version())) {
            return reject(Reason.ENTRY_MISMATCH, "the bundle serves version " + bundle.version() + ", its entry releases " + entry.version());
        }
        CapsulePackage pkg;
        try {
            pkg = PackageReader.read(bundle.packageBytesView(), limits);
        } catch (PackageException e) {
            return reject(Reason.PACKAGE_INVALID, e.getMessage());
        }
        if (!pkg.manifest().id().equals(appId) || !pkg.manifest().version().equals(entry.version())) {
            return reject(Reason.ENTRY_MISMATCH, "the package is " + pkg.manifest().id() + " " + pkg.manifest().version()
                    + ", the entry releases " + appId + " " + entry.version());
        }
        if (!pkg.digestManifestSha256().matches(entry.packageDigest())) {
            return reject(Reason.ENTRY_MISMATCH, "the package's digest is " + Fields.digestText(pkg.digestManifestSha256())
                    + ", the release log entry names " + Fields.digestText(entry.packageDigest()));
        }
        VerifyingKey developer = bundle.developerKey();
        if (!developer.keyId().equals(entry.developerKeyId())) {
            return reject(Reason.ENTRY_MISMATCH, "the bundle's developer key " + developer.keyId().shortForm()
                    + " is not the one the entry names, " + entry.developerKeyId().shortForm());
        }
        // 6. developer signature, by the logged key, bound to this app id
        TrustPolicy developerPolicy = TrustPolicy.of(List.of(TrustedKey.forRole(developer, Role.DEVELOPER, List.of(AppIdPattern.parse(appId)))))
                .requiring(Role.DEVELOPER).withLimits(limits);
        if (PackageVerifier.verify(pkg, developerPolicy) instanceof Verification.Rejected r) {
            return reject(Reason.DEVELOPER_SIGNATURE, "developer signature: " + r.message());
        }
        // 7. platform countersignature
        TrustPolicy platformPolicy = TrustPolicy.of(trust.keys(PlatformTrust.Purpose.PACKAGE_COUNTERSIGNATURE).stream()
                .map(TrustedKey::platform).toList()).requiring(Role.PLATFORM).withLimits(limits);
        if (PackageVerifier.verify(pkg, platformPolicy) instanceof Verification.Rejected r) {
            return reject(Reason.PLATFORM_SIGNATURE, "platform countersignature: " + r.message());
        }
        // 8. rollback
        SemanticVersion version = entry.semanticVersion();
        Optional<SemanticVersion> highest = state.highestVersion(appId);
        if (highest.isPresent() && version.isLowerThan(highest.get())) {
            Rejected rollback = rollback(appId, version, highest.get(), bundle.rollbackEntry(), checkpoint);
            if (rollback != null) {
                return rollback;
            }
        }
        // Freshness and consistency made this checkpoint at least as new as the stored one: it replaces it.
        return new ReleaseOutcome.Verified(pkg, entry, checkpoint, state.withRelease(checkpoint, appId, version));
    }

    private Rejected rollback(String appId, SemanticVersion version, SemanticVersion highest, Optional<ReleaseBundle.IncludedEntry> rollbackEntry,
            Checkpoint checkpoint) {
        String lower = "version " + version + " of " + appId + " is lower than " + highest + ", already seen";
        if (rollbackEntry.isEmpty()) {
            return reject(Reason.ROLLBACK, lower + ", and the bundle has no rollback entry for it");
        }
        if (!included(rollbackEntry.get(), checkpoint)) {
            return reject(Reason.NOT_INCLUDED, "the rollback entry is not entry " + rollbackEntry.get().entryIndex() + " of the log: forged or omitted");
        }
        ReleaseEntry parsed;
        try {
            parsed = ReleaseEntry.parse(rollbackEntry.get().entry());
        } catch (ReleaseFormatException e) {
            return reject(Reason.ROLLBACK, lower + "; its rollback entry: " + e.getMessage());
        }
        if (!(parsed instanceof ReleaseEntry.Rollback rollback) || !rollback.appId().equals(appId)
                || !rollback.version().equals(version.text())) {
            return reject(Reason.ROLLBACK, lower + ", and the rollback entry given is not a rollback of " + appId + " to " + version);
        }
        if (SemanticVersion.parse(rollback.from()).isLowerThan(highest)) {
            return reject(Reason.ROLLBACK, lower + ", and the rollback entry rolls back from " + rollback.from()
                    + ": it is older than the version seen (a stale rollback replayed)");
        }
        return null;
    }

    private static boolean included(ReleaseBundle.IncludedEntry entry, Checkpoint checkpoint) {
        return entry.entryIndex() < checkpoint.size() && MerkleProofs.verifyInclusion(entry.entryIndex(), checkpoint.size(),
                MerkleHash.leafHash(entry.entry()), entry.inclusionProof(), checkpoint.rootHash());
    }

    private static Rejected reject(Reason reason, String message) {
        return new Rejected(reason, message);
    }
}
