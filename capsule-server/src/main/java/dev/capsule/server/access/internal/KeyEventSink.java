package dev.capsule.server.access.internal;

import dev.capsule.server.access.KeyEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends key events to every {@link KeyEvents} bean of the application (the audit module's writes them
 * to the audit trail), or, while there is none, to the log {@value #LOG_NAME} at INFO (refusals at
 * WARN). A bean that throws stops the delivery and, for a lifecycle event, undoes the change.
 */
@Component
class KeyEventSink {
    static final String LOG_NAME = "capsule.access.keys";
    private static final Logger log = LoggerFactory.getLogger(LOG_NAME);

    private final List<KeyEvents> delegates;

    KeyEventSink(ObjectProvider<KeyEvents> provided) {
        List<KeyEvents> beans = provided.orderedStream().toList();
        this.delegates = beans.isEmpty() ? List.of(KeyEventSink::log) : beans;
    }

    void record(KeyEvents.KeyEvent event) {
        for (KeyEvents delegate : delegates) {
            delegate.record(event);
        }
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
