package dev.capsule.server.keys.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.keys.KeyEvent;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** Publishes {@link KeyEvent}s synchronously (a listener that throws fails the action) with the acting operator. */
@Component
class KeyEventPublisher {
    private final ApplicationEventPublisher publisher;

    KeyEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(String type, KeyPurpose purpose, String keyId) {
        publisher.publishEvent(KeyEvent.of(type, purpose.code(), keyId, actor().orElse(null)));
    }

    void publish(KeyEvent event) {
        publisher.publishEvent(event);
    }

    /** The operator of the current request, when there is one whose name is its UUID (the identity module's operators). */
    static Optional<UUID> actor() {
        return Caller.of(SecurityContextHolder.getContext().getAuthentication())
                .filter(caller -> caller instanceof Caller.Operator)
                .flatMap(caller -> {
                    try {
                        return Optional.of(UUID.fromString(((Caller.Operator) caller).name()));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }
}
