package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.PackageApproved;
import dev.capsule.server.releases.ReleaseEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Publishes an approved version, synchronously in the approval's transaction: reads it through the registry's
 * {@link ApprovedPackages}, countersigns the package (role {@code platform}, the platform's
 * {@link SigningPurpose#PACKAGE_COUNTERSIGNATURE} key), stores the countersigned package, appends a {@code release}
 * entry and a {@code rollout} entry to the release log and signs a checkpoint. Anything failing throws, which rolls
 * the approval back: a version is never approved without its release.
 *
 * <p>Rollout at release ({@link Rollouts}): an app's first release is served to everyone (there is nothing else to
 * serve); a later one continues a rollout in progress at its percent, so nobody who already moved up is moved
 * down, or starts at 0% after a completed one.
 *
 * <p>Security guarantees: fail closed: without the registry module, with an approved version that does not read
 * back, whose package does not parse, whose digest or id differs from what the registry recorded, or whose version
 * is not above every released one, nothing is released and the approval fails; the countersignature is checked
 * against the platform's key before it is stored.
 */
@Component
class Publisher {
    private final ObjectProvider<ApprovedPackages> approvedPackages;
    private final PlatformSigner signer;
    private final ReleaseLog releaseLog;
    private final ReleaseStore store;
    private final ApplicationEventPublisher events;

    Publisher(ObjectProvider<ApprovedPackages> approvedPackages, PlatformSigner signer, ReleaseLog releaseLog, ReleaseStore store,
            ApplicationEventPublisher events) {
        this.approvedPackages = approvedPackages;
        this.signer = signer;
        this.releaseLog = releaseLog;
        this.store = store;
        this.events = events;
    }

    @EventListener
    void on(PackageApproved approval) {
        ApprovedPackages packages = approvedPackages.getIfAvailable();
        if (packages == null) {
            throw new IllegalStateException("the registry module is absent: no approved package can be read, so nothing is released");
        }
        ApprovedPackages.ApprovedPackage approved = packages.find(approval.id()).orElseThrow(() -> new IllegalStateException(
                "approved version " + approval.id() + " does not read back from the registry; nothing is released"));
        if (!approved.app().equals(approval.app()) || !approved.version().equals(approval.version())) {
            throw new IllegalStateException("approved version " + approval.id() + " names another app or version than its approval event");
        }
        releaseLog.lock();
        requireAboveReleased(approval);
        byte[] countersigned = countersign(approved);
        Instant now = releaseLog.now().truncatedTo(ChronoUnit.SECONDS);
        String app = approval.app().value();
        String approver = approval.approver().value().toString();
        ReleaseEntry.Release release = new ReleaseEntry.Release(app, approval.version(), approved.packageDigest(),
                approved.developerKey().keyId(), approved.sbomDigest(), approved.findingsDigest(), approver,
                approval.preset(), now);
        ReleaseStore.Rollout rollout = Rollouts.afterRelease(store.rollout(approval.app()), approval.app(), approval.version());
        ReleaseEntry.Rollout rolloutEntry = new ReleaseEntry.Rollout(app, approval.version(), rollout.percent(), rollout.paused(), approver, now);
        long first = releaseLog.append(List.of(release, rolloutEntry));
        store.insertPackage(approval.app(), approval.version(), approval.id(), countersigned, approved.packageDigest(),
                approved.developerKey().toPem(), first);
        store.saveRollout(rollout);
        events.publishEvent(new ReleaseEvent(ReleaseEvent.Action.PUBLISH, approval.app(), approval.version(), null, approval.approver(), null));
    }

    private void requireAboveReleased(PackageApproved approval) {
        SemanticVersion version = SemanticVersion.parse(approval.version());
        for (ReleaseStore.Released released : store.releasedVersions(approval.app(), Integer.MAX_VALUE)) {
            if (!SemanticVersion.parse(released.version()).isLowerThan(version)) {
                throw new IllegalStateException(approval.app() + " " + approval.version() + " is not above the released version "
                        + released.version() + "; versions only grow");
            }
        }
    }

    private byte[] countersign(ApprovedPackages.ApprovedPackage approved) {
        try {
            VerifyingKey key = signer.primary(SigningPurpose.PACKAGE_COUNTERSIGNATURE).key();
            byte[] signed = PackageSigner.sign(approved.packageBytes(), key,
                    message -> signer.sign(SigningPurpose.PACKAGE_COUNTERSIGNATURE, message).signature(), Role.PLATFORM, PackageLimits.DEFAULTS);
            CapsulePackage pkg = PackageReader.read(signed, PackageLimits.DEFAULTS);
            if (!pkg.digestManifestSha256().equals(approved.packageDigest())) {
                throw new IllegalStateException("the approved package's digest manifest is not the one the registry recorded");
            }
            if (!pkg.manifest().id().equals(approved.app().value()) || !pkg.manifest().version().equals(approved.version())) {
                throw new IllegalStateException("the approved package's capsule.json names another app or version");
            }
            return signed;
        } catch (PackageException e) {
            throw new IllegalStateException("the approved package cannot be countersigned: " + e.getMessage(), e);
        }
    }
}
