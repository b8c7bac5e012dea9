package dev.capsule.server.releases;

import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the releases module serves, for the host module's shell: the mini-programs released now, the release bundle
 * a user is served (the same bundle {@code GET /api/v1/releases/{app}/bundle} gives a runtime), and the platform
 * trust a verifier pins. The host verifies every bundle itself with core's {@code ReleaseVerifier}; this API decides
 * nothing the verifier checks.
 *
 * <p>Security guarantees: a revoked version is never served ({@link NotServed} {@code revoked}), nor a version to a
 * user outside its rollout, nor anything while the platform's minimum runtime is above this server's runtime
 * ({@code runtime-too-old}); a user is always the pairwise id the session will run as (the rollout bucket is
 * computed from it, as for a runtime that asks the API).
 */
public interface ReleasedPrograms {
    /** Most mini-programs {@link #offered} lists. */
    int OFFERED_MAX = 200;

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
