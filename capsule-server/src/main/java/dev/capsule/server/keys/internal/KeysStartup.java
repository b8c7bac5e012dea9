package dev.capsule.server.keys.internal;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Makes every purpose's key set exist once the application is up (listeners, like the audit log, are
 * registered by then, so the creation events reach them).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class KeysStartup implements ApplicationRunner {
    private final Keysets keysets;

    KeysStartup(Keysets keysets) {
        this.keysets = keysets;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        keysets.ensureAll();
    }
}
