package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.ServerConsole;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@link Residency} bean: every region's database, opened and checked at start, closed with the context. */
@Configuration(proxyBeanMethods = false)
class ResidencyConfiguration {
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    RegionalDatabases residency(Environment environment, CapsuleSettings settings, DatabaseConfiguration.DatabaseLocation home,
            JdbcClient jdbc, TransactionTemplate transactions, Flyway flyway,
            @Value("${" + ServerConsole.CONSOLE_PROPERTY + ":false}") boolean console) {
        return RegionalDatabases.open(RegionSettings.from(environment), settings, home, jdbc, transactions, flyway, console);
    }
}
