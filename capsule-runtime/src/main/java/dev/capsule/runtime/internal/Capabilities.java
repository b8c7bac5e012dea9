package dev.capsule.runtime.internal;

import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.internal.WxApi.Availability;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which APIs a session has: the optional host services that exist (an API whose service is missing is
 * absent, never a stub) and the API groups its launch allows ({@code SessionPolicy}).
 *
 * @param services the optional host services present ({@link Availability#ALWAYS} is implied, never listed)
 */
public record Capabilities(Set<Availability> services, Set<ApiGroup> groups) {
    public Capabilities {
        Objects.requireNonNull(services, "services");
        if (services.contains(Availability.ALWAYS)) {
            throw new IllegalArgumentException("ALWAYS is not a host service");
        }
        services = services.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(services));
        groups = groups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groups));
    }

    /** Every host service and every group: the most a session's {@code wx} can have. */
    public static Capabilities everything() {
        return new Capabilities(EnumSet.complementOf(EnumSet.of(Availability.ALWAYS)), ApiGroup.all());
    }

    /** No optional host service, every group. */
    public static Capabilities noServices() {
        return new Capabilities(Set.of(), ApiGroup.all());
    }

    public static Capabilities of(HostServices services, Set<ApiGroup> groups) {
        EnumSet<Availability> present = EnumSet.noneOf(Availability.class);
        services.identity().ifPresent(x -> present.add(Availability.IDENTITY));
        services.payment().ifPresent(x -> present.add(Availability.PAYMENT));
        services.devices().clipboard().ifPresent(x -> present.add(Availability.CLIPBOARD));
        services.devices().phone().ifPresent(x -> present.add(Availability.PHONE));
        services.devices().imageViewer().ifPresent(x -> present.add(Availability.IMAGE_VIEWER));
        services.devices().controls().ifPresent(x -> present.add(Availability.DEVICE_CONTROLS));
        services.devices().networkStatus().ifPresent(x -> present.add(Availability.NETWORK_STATUS));
        return new Capabilities(present, groups);
    }
}
