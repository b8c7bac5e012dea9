package dev.capsule.server.releases.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.runtime.RuntimeVersion;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleasedPrograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@link ReleasedPrograms} over the release store: the rollout decides the version ({@link Distribution}), the
 * bundle is the one the bundle endpoint serves. A released version's capsule.json (its name, and for
 * {@link #released} the whole manifest) is read once from its package (a release never changes) and kept in a
 * bounded cache.
 */
@Component
class ReleasedProgramsService implements ReleasedPrograms {
    /** Manifests remembered (one per released version); beyond it, the cache starts over. */
    static final int MANIFESTS_CACHED_MAX = 1_000;

    private final ReleaseStore store;
    private final Distribution distribution;
    private final PlatformTrustFile trustFile;
    private final ObjectProvider<ApprovedPackages> approvedPackages;
    private final Map<String, CapsuleManifest> manifests = new ConcurrentHashMap<>();

    ReleasedProgramsService(ReleaseStore store, Distribution distribution, PlatformTrustFile trustFile,
            ObjectProvider<ApprovedPackages> approvedPackages) {
        this.store = store;
        this.distribution = distribution;
        this.trustFile = trustFile;
        this.approvedPackages = approvedPackages;
    }

    @Override
    public List<Offer> offered(Function<MiniProgramId, String> pairwiseUser, int limit) {
        if (runtimeTooOld().isPresent()) {
            return List.of();
        }
        List<Offer> offers = new ArrayList<>();
        for (ReleaseStore.Rollout rollout : store.rollouts(Math.clamp(limit, 0, OFFERED_MAX))) {
            Optional<String> version = distribution.servedVersion(rollout, pairwiseUser.apply(rollout.app()));
            if (version.isPresent() && store.revocation(rollout.app(), version.get()).isEmpty()) {
                offers.add(new Offer(rollout.app(), version.get(), manifest(rollout.app(), version.get()).name()));
            }
        }
        return List.copyOf(offers);
    }

    @Override
    public Serving serve(MiniProgramId app, String pairwiseUser, Optional<Long> since) {
        Optional<NotServed> tooOld = runtimeTooOld();
        if (tooOld.isPresent()) {
            return tooOld.get();
        }
        Optional<ReleaseStore.Rollout> rollout = store.rollout(app);
        if (rollout.isEmpty()) {
            return new NotServed("not-released", app + " has no released version");
        }
        Optional<String> version = distribution.servedVersion(rollout.get(), pairwiseUser);
        if (version.isEmpty()) {
            return new NotServed("not-rolled-out", app + " has no version rolled out to this user yet");
        }
        if (store.revocation(app, version.get()).isPresent()) {
            return new NotServed("revoked", app + " " + version.get() + " was withdrawn by the platform");
        }
        try {
            return new Served(distribution.bundle(app.value(), pairwiseUser, since));
        } catch (ProblemException e) {
            // Changed between the checks above and the bundle (a revocation, a rollout): the bundle's own answer.
            return new NotServed(e.type().equals(ReleaseProblems.REVOKED) ? "revoked" : "not-released", e.getMessage());
        }
    }

    @Override
    public PlatformTrust trust() {
        return trustFile.current();
    }

    @Override
    public ReleasedPage released(Optional<MiniProgramId> after, int limit) {
        int listed = Math.clamp(limit, 1, RELEASED_MAX);
        // One more than listed tells whether another page exists.
        List<ReleaseStore.LiveRollout> rollouts = store.liveRollouts(after, listed + 1);
        List<ReleaseStore.LiveRollout> page = rollouts.subList(0, Math.min(listed, rollouts.size()));
        List<ReleasedProgram> programs = page.stream()
                .map(live -> new ReleasedProgram(live.rollout().app(), developer(live.rollout().app()), versions(live))).toList();
        Optional<MiniProgramId> next = rollouts.size() > listed ? Optional.of(page.getLast().rollout().app()) : Optional.empty();
        return new ReleasedPage(programs, next);
    }

    /** The rollout's live versions, the stable one first, each with the share of users it is served to. */
    private List<ReleasedVersion> versions(ReleaseStore.LiveRollout live) {
        ReleaseStore.Rollout rollout = live.rollout();
        List<ReleasedVersion> versions = new ArrayList<>(2);
        int rollingShare = rollout.rolling() == null ? 0 : rollout.percent();
        if (live.stableLive()) {
            versions.add(new ReleasedVersion(rollout.stable(), 100 - rollingShare, manifest(rollout.app(), rollout.stable())));
        }
        if (live.rollingLive()) {
            versions.add(new ReleasedVersion(rollout.rolling(), rollingShare, manifest(rollout.app(), rollout.rolling())));
        }
        return versions;
    }

    /** The organisation that owns a released id; a release without one is an inconsistency, never guessed over. */
    private ApprovedPackages.Developer developer(MiniProgramId app) {
        ApprovedPackages packages = approvedPackages.getIfAvailable();
        if (packages == null) {
            throw new IllegalStateException("the registry module is absent: the developer of " + app + " cannot be named");
        }
        return packages.developerOf(app).orElseThrow(() -> new IllegalStateException(
                "the released mini-program " + app + " has no registered developer organisation"));
    }

    /** Nothing is served while the platform requires a newer runtime than this server's. */
    private Optional<NotServed> runtimeTooOld() {
        return store.minimumRuntime().map(SemanticVersion::parse).filter(minimum -> RuntimeVersion.current().isLowerThan(minimum))
                .map(minimum -> new NotServed("runtime-too-old", "the platform requires runtime " + minimum + " or later; this server runs "
                        + RuntimeVersion.current()));
    }

    private CapsuleManifest manifest(MiniProgramId app, String version) {
        String key = app.value() + "@" + version;
        CapsuleManifest known = manifests.get(key);
        if (known != null) {
            return known;
        }
        CapsuleManifest manifest;
        try {
            manifest = PackageReader.read(store.packageBytes(app, version), PackageLimits.DEFAULTS).manifest();
        } catch (PackageException e) {
            throw new IllegalStateException("the released package " + app + " " + version + " no longer reads", e);
        }
        if (manifests.size() >= MANIFESTS_CACHED_MAX) {
            manifests.clear();
        }
        manifests.put(key, manifest);
        return manifest;
    }
}
