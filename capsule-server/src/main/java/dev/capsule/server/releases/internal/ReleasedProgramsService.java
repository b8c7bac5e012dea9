package dev.capsule.server.releases.internal;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.runtime.RuntimeVersion;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleasedPrograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * {@link ReleasedPrograms} over the release store: the rollout decides the version ({@link Distribution}), the
 * bundle is the one the bundle endpoint serves. Names are read once per released version from its package's
 * capsule.json (a release never changes) and kept in a bounded cache.
 */
@Component
class ReleasedProgramsService implements ReleasedPrograms {
    /** Names remembered (one per released version); beyond it, the cache starts over. */
    static final int NAMES_CACHED_MAX = 1_000;

    private final ReleaseStore store;
    private final Distribution distribution;
    private final PlatformTrustFile trustFile;
    private final Map<String, String> names = new ConcurrentHashMap<>();

    ReleasedProgramsService(ReleaseStore store, Distribution distribution, PlatformTrustFile trustFile) {
        this.store = store;
        this.distribution = distribution;
        this.trustFile = trustFile;
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
                offers.add(new Offer(rollout.app(), version.get(), name(rollout.app(), version.get())));
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

    /** Nothing is served while the platform requires a newer runtime than this server's. */
    private Optional<NotServed> runtimeTooOld() {
        return store.minimumRuntime().map(SemanticVersion::parse).filter(minimum -> RuntimeVersion.current().isLowerThan(minimum))
                .map(minimum -> new NotServed("runtime-too-old", "the platform requires runtime " + minimum + " or later; this server runs "
                        + RuntimeVersion.current()));
    }

    private String name(MiniProgramId app, String version) {
        String key = app.value() + "@" + version;
        String known = names.get(key);
        if (known != null) {
            return known;
        }
        String name;
        try {
            name = PackageReader.read(store.packageBytes(app, version), PackageLimits.DEFAULTS).manifest().name();
        } catch (PackageException e) {
            throw new IllegalStateException("the released package " + app + " " + version + " no longer reads", e);
        }
        if (names.size() >= NAMES_CACHED_MAX) {
            names.clear();
        }
        names.put(key, name);
        return name;
    }
}
