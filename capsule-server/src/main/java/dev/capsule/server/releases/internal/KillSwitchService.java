package dev.capsule.server.releases.internal;

import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleaseKillSwitch;
import org.springframework.stereotype.Component;

/** The releases module's {@link ReleaseKillSwitch}: {@link KillSwitch#revoke} with the current request's operator, as its own endpoints call it. */
@Component
class KillSwitchService implements ReleaseKillSwitch {
    private final KillSwitch killSwitch;

    KillSwitchService(KillSwitch killSwitch) {
        this.killSwitch = killSwitch;
    }

    @Override
    public long revoke(MiniProgramId app, String version, String reason) {
        return killSwitch.revoke(app, version, reason, ReleasesController.operator());
    }
}
