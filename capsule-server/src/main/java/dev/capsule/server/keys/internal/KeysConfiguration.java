package dev.capsule.server.keys.internal;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The keys module's root: the KMS back-end chosen by {@code capsule.kms.backend}. */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

    @Bean
    Kms kms(@Value("${capsule.kms.backend:local}") String backend, @Value("${capsule.master-key:}") String masterKey,
            @Value("${capsule.data-dir:./capsule-data}") Path dataDir, JdbcClient jdbc) {
        return switch (backend) {
            case "local" -> LocalKms.open(MasterSecret.load(masterKey, dataDir.toAbsolutePath().normalize()),
                    dataDir.toAbsolutePath().normalize(), jdbc);
            case "vault" -> throw new IllegalStateException("capsule.kms.backend=vault: this build supports only the local KMS "
                    + "(HashiCorp Vault Transit is not implemented; see docs/keys.md)");
            default -> throw new IllegalStateException("capsule.kms.backend must be local, not '" + backend + "'");
        };
    }
}
