package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.CiphertextHolder;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * The {@code capsule keys} console context: the keys module on the server's database, plus every
 * {@link CiphertextHolder} component of the other modules (found by type, nothing else of theirs), so that
 * the console can re-encrypt what a rotation covers while it shows the progress.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan("dev.capsule.server.keys")
@ComponentScan(basePackages = "dev.capsule.server", useDefaultFilters = false,
        includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = CiphertextHolder.class))
class KeysConsoleConfiguration {
}
