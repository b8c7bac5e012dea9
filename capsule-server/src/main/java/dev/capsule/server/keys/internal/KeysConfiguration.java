package dev.capsule.server.keys.internal;

import dev.capsule.server.platform.SecurityContribution;
import dev.capsule.server.platform.ServerConsole;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The keys module's root: the KMS back-end chosen by {@code capsule.kms.backend}; the public well-known path. */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

    @Bean
    Kms kms(@Value("${capsule.kms.backend:local}") String backend, @Value("${capsule.master-key:}") String masterKey,
            @Value("${capsule.data-dir:./capsule-data}") Path dataDir, JdbcClient jdbc,
            @Value("${" + ServerConsole.CONSOLE_PROPERTY + ":false}") boolean console) {
        return switch (backend) {
            // The console never generates a master secret: it acts on an installation that has one.
            case "local" -> LocalKms.open(MasterSecret.load(masterKey, dataDir.toAbsolutePath().normalize(), !console),
                    dataDir.toAbsolutePath().normalize(), jdbc);
            case "vault" -> throw new IllegalStateException("capsule.kms.backend=vault: this build supports only the local KMS "
                    + "(HashiCorp Vault Transit is not implemented; see docs/keys.md)");
            default -> throw new IllegalStateException("capsule.kms.backend must be local, not '" + backend + "'");
        };
    }

    /** The well-known key list is public: verifiers need it before they trust anything else. */
    @Bean
    SecurityContribution wellKnownKeysArePublic() {
        return new SecurityContribution() {
            @Override
            public List<String> publicPaths() {
                return List.of(WellKnownKeysController.PATH);
            }
        };
    }
}
