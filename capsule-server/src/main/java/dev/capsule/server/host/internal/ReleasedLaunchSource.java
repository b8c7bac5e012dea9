package dev.capsule.server.host.internal;

import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseOutcome;
import dev.capsule.core.release.ReleaseVerifier;
import dev.capsule.runtime.release.RiskPolicies;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleasedPrograms;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sessions from released mini-programs: the release the user's pairwise id is served (their rollout bucket),
 * verified here with core's {@link ReleaseVerifier} against this installation's own platform trust, and run under
 * the policy of its risk profile ({@link RiskPolicies}). A source for every installation; the development preview's
 * source comes before it when it exists.
 *
 * <p>Security guarantees: a plan is only ever a {@link ReleaseOutcome.Verified} release (log inclusion, developer
 * signature bound to the app id, platform countersignature, fresh checkpoint); a rejected bundle, a revoked or
 * killed version, a user outside the rollout, or a mini-program without a registered developer is a
 * {@link LaunchRefusal} with a fixed code (never a launch). The node remembers the largest checkpoint it verified
 * and asks each bundle for a consistency proof from it, so a log that forks or shrinks under this node is refused
 * ({@code split-view}, {@code inconsistent-log}). Versions are not remembered across users (two users in different
 * rollout buckets are served different versions legitimately), so rollback protection is the release log's own
 * rollback entries, which the verifier checks when the bundle carries one.
 */
@Component
@Order(ReleasedLaunchSource.ORDER)
class ReleasedLaunchSource implements LaunchSource {
    /** After the development preview's source (which comes first when it exists). */
    static final int ORDER = 100;
    /** Most mini-programs the shell's list shows. */
    static final int LISTED_MAX = 100;

    private final ReleasedPrograms releases;
    private final ApprovedPackages registry;
    private final PairwiseIds pairwise;
    private final Clock clock;
    private final AtomicReference<Optional<Checkpoint>> verifiedCheckpoint = new AtomicReference<>(Optional.empty());

    @Autowired
    ReleasedLaunchSource(ReleasedPrograms releases, ApprovedPackages registry, PairwiseIds pairwise) {
        this(releases, registry, pairwise, Clock.systemUTC());
    }

    ReleasedLaunchSource(ReleasedPrograms releases, ApprovedPackages registry, PairwiseIds pairwise, Clock clock) {
        this.releases = releases;
        this.registry = registry;
        this.pairwise = pairwise;
        this.clock = clock;
    }

    @Override
    public Optional<LaunchPlan> plan(ShellPrincipal who, MiniProgramId app) throws LaunchRefusal {
        if (!who.mayOpen(app)) {
            throw new LaunchRefusal("not-granted", "this sign-in allows another mini-program only");
        }
        String user = pairwise.runtimeUserId(app, who.user());
        Optional<Checkpoint> seen = verifiedCheckpoint.get();
        ReleasedPrograms.Serving serving = releases.serve(app, user, seen.map(Checkpoint::size));
        ReleasedPrograms.Served served = switch (serving) {
            case ReleasedPrograms.NotServed refused -> {
                if (refused.code().equals("not-released")) {
                    yield null;
                }
                throw new LaunchRefusal(refused.code(), refusalMessage(refused.code()));
            }
            case ReleasedPrograms.Served found -> found;
        };
        if (served == null) {
            return Optional.empty();
        }
        ApprovedPackages.Developer developer = registry.developerOf(app)
                .orElseThrow(() -> new LaunchRefusal("no-developer", "this mini-program has no registered developer"));
        ReleaseVerifier verifier = new ReleaseVerifier(releases.trust(), clock, ReleaseVerifier.CHECKPOINT_AGE_MAX_DEFAULT);
        ReleaseOutcome outcome = verifier.verify(app.value(), served.bundle(), new ReleaseClientState(seen, Map.of(), 0));
        return switch (outcome) {
            case ReleaseOutcome.Rejected rejected -> throw new LaunchRefusal("release-" + rejected.reason().code(),
                    "the platform could not verify this release, so it is not opened");
            case ReleaseOutcome.Verified verified -> {
                remember(verified.checkpoint());
                CatalogueEntry entry = new CatalogueEntry(app, verified.pkg().manifest().name(), verified.entry().version(),
                        developer.name(), developer.verified());
                yield Optional.of(new LaunchPlan.Released(entry, verified, RiskPolicies.of(verified.entry().preset())));
            }
        };
    }

    @Override
    public List<CatalogueEntry> openable(ShellPrincipal who) {
        List<CatalogueEntry> entries = new ArrayList<>();
        for (ReleasedPrograms.Offer offer : releases.offered(app -> pairwise.runtimeUserId(app, who.user()), ReleasedPrograms.OFFERED_MAX)) {
            if (entries.size() >= LISTED_MAX || !who.mayOpen(offer.app())) {
                continue;
            }
            registry.developerOf(offer.app()).ifPresent(developer -> entries.add(
                    new CatalogueEntry(offer.app(), offer.name(), offer.version(), developer.name(), developer.verified())));
        }
        return List.copyOf(entries);
    }

    /** Keeps the largest verified checkpoint (a smaller one verified concurrently never replaces it). */
    private void remember(Checkpoint checkpoint) {
        verifiedCheckpoint.accumulateAndGet(Optional.of(checkpoint),
                (old, now) -> old.isPresent() && old.get().size() >= now.get().size() ? old : now);
    }

    private static String refusalMessage(String code) {
        return switch (code) {
            case "not-rolled-out" -> "this mini-program is not available to you yet";
            case "revoked" -> "this version was withdrawn by the platform";
            case "runtime-too-old" -> "the platform requires a newer runtime than this server's; ask the operator to upgrade";
            default -> "this mini-program cannot be opened now";
        };
    }
}
