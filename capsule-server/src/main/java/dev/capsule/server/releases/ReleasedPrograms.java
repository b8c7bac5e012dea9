package dev.capsule.server.releases;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.server.registry.ApprovedPackages;
import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the releases module serves, for the host module's shell: the mini-programs released now, the release bundle
 * a user is served (the same bundle {@code GET /api/v1/releases/{app}/bundle} gives a runtime), and the platform
 * trust a verifier pins; and, for the compliance module's records of processing, what is released to anyone
 * ({@link #released}). The host verifies every bundle itself with core's {@code ReleaseVerifier}; this API decides
 * nothing the verifier checks.
 *
 * <p>Security guarantees: a revoked version is never served ({@link NotServed} {@code revoked}), nor a version to a
 * user outside its rollout, nor anything while the platform's minimum runtime is above this server's runtime
 * ({@code runtime-too-old}); a user is always the pairwise id the session will run as (the rollout bucket is
 * computed from it, as for a runtime that asks the API). {@link #released} is read-only and lists exactly the
 * versions of the current rollouts that are not revoked, each with the capsule.json of the package as served.
 */
public interface ReleasedPrograms {
    /** Most mini-programs {@link #offered} lists. */
    int OFFERED_MAX = 200;
    /** Most mini-programs one {@link #released} page lists. */
    int RELEASED_MAX = 500;

    /**
     * The released mini-programs and the version each would serve its user, by id (at most {@code limit}, capped at
     * {@link #OFFERED_MAX}); revoked versions and mini-programs with nothing for the user are left out.
     *
     * @param pairwiseUser the user's pairwise id for a mini-program
     */
    List<Offer> offered(Function<MiniProgramId, String> pairwiseUser, int limit);

    /** The bundle {@code pairwiseUser} is served for {@code app}, or why none is, with a consistency proof from {@code since}. */
    Serving serve(MiniProgramId app, String pairwiseUser, Optional<Long> since);

    /** The platform trust this installation publishes (the release log's origin and the release keys). */
    PlatformTrust trust();

    /**
     * What is released now to anyone, by app id after {@code after} (exclusive), at most {@code limit} mini-programs
     * (1 to {@link #RELEASED_MAX}): each mini-program whose rollout names a version that is not revoked, with
     * those versions (the stable one and the one being rolled out, each with the share of users it is served to) and
     * the developer organisation that owns the id. Revoked versions, and mini-programs with nothing but revoked
     * versions, are left out; versions approved but never released do not exist here.
     */
    ReleasedPage released(Optional<MiniProgramId> after, int limit);

    /**
     * One page of {@link #released}.
     *
     * @param next the app id to pass as {@code after} for the next page; empty when this page is the last
     */
    record ReleasedPage(List<ReleasedProgram> programs, Optional<MiniProgramId> next) {
        public ReleasedPage {
            programs = List.copyOf(programs);
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * A released mini-program.
     *
     * @param developer the organisation that owns its id, as the registry names it
     * @param versions  its versions served now, the stable one first (one or two)
     */
    record ReleasedProgram(MiniProgramId app, ApprovedPackages.Developer developer, List<ReleasedVersion> versions) {
        public ReleasedProgram {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(developer, "developer");
            versions = List.copyOf(versions);
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("a released mini-program has a released version");
            }
        }
    }

    /**
     * A released version.
     *
     * @param sharePercent the percentage of users the rollout serves it to now (0 for a rollout not yet started)
     * @param manifest     the capsule.json of the released package (developer-written text: escape it wherever printed)
     */
    record ReleasedVersion(String version, int sharePercent, CapsuleManifest manifest) {
        public ReleasedVersion {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(manifest, "manifest");
            if (sharePercent < 0 || sharePercent > 100) {
                throw new IllegalArgumentException("sharePercent is 0 to 100");
            }
        }
    }

    /**
     * A mini-program a user could open.
     *
     * @param app     its id
     * @param version the version the user would be served
     * @param name    its name in that version's capsule.json
     */
    record Offer(MiniProgramId app, String version, String name) {
        public Offer {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(name, "name");
        }
    }

    /** What {@link #serve} answers. */
    sealed interface Serving {
    }

    /** The bundle the user is served. */
    record Served(ReleaseBundle bundle) implements Serving {
        public Served {
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    /**
     * Nothing is served: {@code code} is {@code not-released}, {@code not-rolled-out}, {@code revoked} or
     * {@code runtime-too-old}; {@code message} is one line without guest text.
     */
    record NotServed(String code, String message) implements Serving {
        public NotServed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
