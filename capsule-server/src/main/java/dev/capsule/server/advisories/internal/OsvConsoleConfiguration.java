package dev.capsule.server.advisories.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The {@code capsule osv} console context: the advisory store and its importer on the server's database, nothing else. */
@Configuration(proxyBeanMethods = false)
@Import({OsvImporter.class, JdbcAdvisories.class})
class OsvConsoleConfiguration {
}
