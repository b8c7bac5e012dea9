package dev.capsule.server.host.internal;

import dev.capsule.server.host.SessionIsolation;
import org.springframework.stereotype.Component;

/** {@link SessionIsolation} from the host's settings, the ones {@link HostRuntime} builds the node's runtime with. */
@Component
class HostSessionIsolation implements SessionIsolation {
    private final HostSettings settings;

    HostSessionIsolation(HostSettings settings) {
        this.settings = settings;
    }

    @Override
    public String isolationTier() {
        return settings.processIsolation() ? "process" : "in-process";
    }
}
