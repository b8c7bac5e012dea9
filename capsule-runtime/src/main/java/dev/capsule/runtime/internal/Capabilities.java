package dev.capsule.runtime.internal;

import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.HostServices;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which APIs a session has: the optional host services that exist (an API whose service is missing is
 * absent, never a stub) and the API groups its launch allows ({@code SessionPolicy}).
 */
public record Capabilities(boolean identity, boolean payment, Set<ApiGroup> groups) {
    public Capabilities {
        groups = groups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groups));
    }

    /** Every group. */
    public Capabilities(boolean identity, boolean payment) {
        this(identity, payment, ApiGroup.all());
    }

    public static Capabilities of(HostServices services, Set<ApiGroup> groups) {
        return new Capabilities(services.identity().isPresent(), services.payment().isPresent(), groups);
    }
}
