package dev.capsule.server.host.internal;

import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sessions from released mini-programs: the current release of an app for the user's rollout bucket, verified
 * by the server with core's {@code ReleaseVerifier} against its own platform trust and revocations, run under
 * the policy of its risk profile. Killed, revoked or excluded releases are refused with a {@link LaunchRefusal}.
 */
@Component
@Order(ReleasedLaunchSource.ORDER)
class ReleasedLaunchSource implements LaunchSource {
    /** After the development preview's source (which comes first when it exists). */
    static final int ORDER = 100;

    // API commit: bodies land with the releases module's public ReleasedPrograms.
    @Override
    public Optional<LaunchPlan> plan(ShellPrincipal who, MiniProgramId app) throws LaunchRefusal {
        throw new LaunchRefusal("not-built", "released mini-programs cannot be opened yet (issue #15 in progress)");
    }

    @Override
    public List<CatalogueEntry> openable(ShellPrincipal who) {
        return List.of();
    }
}
