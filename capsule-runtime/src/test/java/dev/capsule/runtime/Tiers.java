package dev.capsule.runtime;

import java.util.EnumMap;
import java.util.Map;

/**
 * One harness per isolation tier, shared by the tests that prove a guest-visible property in both
 * tiers (a worker pool takes seconds to start; one per test class would dominate the suite). Closed
 * when the test JVM exits.
 */
final class Tiers {
    private static final Map<Isolation, Harness> HARNESSES = new EnumMap<>(Isolation.class);

    private Tiers() {}

    static synchronized Harness harness(Isolation tier) {
        return HARNESSES.computeIfAbsent(tier, t -> {
            Harness h = t == Isolation.PROCESS
                    ? Harness.inWorkers(HostServices.defaults(), WorkerLimits.DEFAULTS.withWorkers(8, 2))
                    : new Harness();
            Runtime.getRuntime().addShutdownHook(new Thread(h::close));
            return h;
        });
    }
}
