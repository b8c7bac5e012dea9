package dev.capsule.testing.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test application context at a fresh database in {@link SharedPostgres}, a fresh data
 * directory, and free ports for HTTPS and the HTTP redirect.
 */
public class TestServerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("capsule-test", Map.of(
                    "capsule.db.url", SharedPostgres.newDatabase(),
                    "capsule.data-dir", TestDirectories.create("capsule-test-data").toString(),
                    "capsule.http-port", "0",
                    // Webhook tests drive delivery themselves (their clock, a client admitting their loopback receiver).
                    "capsule.payments.webhooks.workers", "false",
                    "server.port", "0")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
