package dev.capsule.server.access.internal;

import dev.capsule.server.access.KeyEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends key events to the application's {@link KeyEvents} bean (the audit module's), or, while there
 * is none, to the log {@value #LOG_NAME} at INFO (refusals at WARN).
 */
@Component
class KeyEventSink {
    static final String LOG_NAME = "capsule.access.keys";
    private static final Logger log = LoggerFactory.getLogger(LOG_NAME);

    private final KeyEvents delegate;

    KeyEventSink(ObjectProvider<KeyEvents> provided) {
        this.delegate = provided.getIfAvailable(() -> KeyEventSink::log);
    }

    void record(KeyEvents.KeyEvent event) {
        delegate.record(event);
    }

    private static void log(KeyEvents.KeyEvent event) {
        switch (event) {
            case KeyEvents.Created created -> log.info("API key {} \"{}\" created by {}, scope {}, expires {}", created.keyId(),
                    created.name().replaceAll("\\p{Cntrl}", "?"), created.actorId(),
                    created.scope().stream().map(p -> p.code()).sorted().toList(), created.expiresAt());
            case KeyEvents.Approved approved -> log.info("API key {} approved by {}", approved.keyId(), approved.actorId());
            case KeyEvents.Revoked revoked -> log.info("API key {} revoked by {}", revoked.keyId(), revoked.actorId());
            case KeyEvents.Refused refused -> log.warn("API key {} refused ({}) from {}", refused.keyId(), refused.reason(),
                    refused.clientAddress());
        }
    }
}
