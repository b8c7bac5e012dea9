package dev.capsule.runtime.internal;

import dev.capsule.runtime.HostServices;

/** Which optional host services exist: an API whose service is missing is absent, never a stub. */
public record Capabilities(boolean identity, boolean payment) {
    public static Capabilities of(HostServices services) {
        return new Capabilities(services.identity().isPresent(), services.payment().isPresent());
    }
}
