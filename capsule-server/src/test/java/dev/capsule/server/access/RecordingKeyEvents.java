package dev.capsule.server.access;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** Listens to the {@link ApiKeyEvent}s the access module publishes, beside the audit module's listener. */
@TestConfiguration(proxyBeanMethods = false)
class RecordingKeyEvents {

    static final class Recorded {
        final List<ApiKeyEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        public void record(ApiKeyEvent event) {
            events.add(event);
        }

        <T extends ApiKeyEvent> List<T> of(Class<T> type, String keyId) {
            return events.stream().filter(type::isInstance).map(type::cast).filter(e -> e.keyId().equals(keyId)).toList();
        }
    }

    @Bean
    Recorded recordedKeyEvents() {
        return new Recorded();
    }
}
