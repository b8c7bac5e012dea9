package dev.capsule.server.keys.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.keys.KeyEvent;
import dev.capsule.server.platform.ServerConsole;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link KeyEvent}s synchronously (a listener that throws fails the action) with the acting
 * operator. In the {@code capsule keys} console, where no audit module runs, events go to the
 * {@code keys_event_outbox} table instead, in the change's transaction, and {@link KeyEventOutbox}
 * on a server node publishes them.
 */
@Component
class KeyEventPublisher {
    private final ApplicationEventPublisher publisher;
    private final JdbcClient jdbc;
    private final boolean console;

    KeyEventPublisher(ApplicationEventPublisher publisher, JdbcClient jdbc,
            @Value("${" + ServerConsole.CONSOLE_PROPERTY + ":false}") boolean console) {
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.console = console;
    }

    void publish(KeyEvent.Kind kind, KeyPurpose purpose, String keyId) {
        publish(KeyEvent.of(kind, purpose.code(), keyId, actor().orElse(null)));
    }

    void publish(KeyEvent event) {
        if (console) {
            jdbc.sql("""
                    INSERT INTO keys_event_outbox (type, purpose, key_id, subject, actor, outcome, created_at)
                    VALUES (:type, :purpose, :key, :subject, :actor, :outcome, now())""")
                    .param("type", event.kind().stored()).param("purpose", event.purpose()).param("key", event.keyId())
                    .param("subject", event.subject()).param("actor", event.actor() == null ? null : event.actor().value()).param("outcome", "SUCCESS")
                    .update();
        } else {
            publisher.publishEvent(event);
        }
    }

    /** The operator of the current request, when it is one with a stable id (the identity module's operators). */
    static Optional<OperatorId> actor() {
        return Caller.of(SecurityContextHolder.getContext().getAuthentication())
                .flatMap(caller -> caller instanceof Caller.Operator operator ? operator.operatorId() : Optional.empty());
    }
}
