package dev.capsule.server.keys.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counts routine key use ({@code capsule.keys.operations}, tagged by purpose, operation and outcome):
 * seal, open, sign, tag. Counted, not logged: one log line per decryption would flood the log and
 * say nothing an auditor needs.
 */
@Component
class KeyMetrics {
    static final String NAME = "capsule.keys.operations";
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    KeyMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
    }

    void count(KeyPurpose purpose, String operation, boolean success) {
        String outcome = success ? "success" : "failure";
        counters.computeIfAbsent(purpose.code() + "/" + operation + "/" + outcome, key -> Counter.builder(NAME)
                .description("Uses of platform keys")
                .tag("purpose", purpose.code()).tag("operation", operation).tag("outcome", outcome)
                .register(registry)).increment();
    }
}
