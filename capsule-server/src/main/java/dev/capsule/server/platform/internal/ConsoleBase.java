package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.LogOrigins;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The base of a server console context ({@code capsule keys ...}): the server's settings and its
 * database (embedded or external, exactly as {@code serve} opens it), migrated by Flyway, and every region's database
 * ({@code Residency}: configured by {@code CAPSULE_REGION} and {@code CAPSULE_REGIONS_*}; tags are checked, never written,
 * and without {@code CAPSULE_REGION} the home region is the home database's tag); no web
 * server, no security chain, no scheduled jobs (the platform's {@code TableRewrites}, which the keys module needs, is there, but a console
 * command deletes nothing that must be rewritten: the server's nodes do that).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableConfigurationProperties(CapsuleSettings.class)
@Import({DatabaseConfiguration.class, ResidencyConfiguration.class, LogOrigins.class, ScheduledTableRewrites.class})
public class ConsoleBase {
}
