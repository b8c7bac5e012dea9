package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.registry.MiniProgramId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a shell request comes from: the principal of the shell's authentication (a grant exchanged for a shell
 * session cookie, or a demo user when demo users are on).
 *
 * @param user    the end user
 * @param onlyApp the one mini-program the grant allows, or empty for every released one the user may open
 * @param demo    true for a demo user (development only; every shell page says so)
 * @param expires when the shell session ends
 * @param region  the region the user's data is placed in (docs/residency.md): every store of theirs is that region's database
 */
public record ShellPrincipal(ShellUserId user, Optional<MiniProgramId> onlyApp, boolean demo, Instant expires, RegionId region) {
    public ShellPrincipal {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(onlyApp, "onlyApp");
        Objects.requireNonNull(expires, "expires");
    }

    /** Whether this principal may open {@code app} at all (the launch source still decides whether it is released). */
    public boolean mayOpen(MiniProgramId app) {
        return onlyApp.map(app::equals).orElse(true);
    }
}
