package dev.capsule.server.incidents;

import dev.capsule.server.registry.RegistryTestConfiguration;
import dev.capsule.testing.server.MutableClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The incidents tests' shared context: the registry tests' wiring (so the registry's fixture works as in its own
 * tests) and a {@link MutableClock}, which the identity module's step-up reads, so a test can let a second factor age.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(RegistryTestConfiguration.class)
class IncidentsTestConfiguration {
    @Bean
    MutableClock incidentsClock() {
        return new MutableClock();
    }
}
