package dev.capsule.server.access;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A {@link KeyEvents} bean that keeps what it is told, standing in for the audit module's. */
@TestConfiguration(proxyBeanMethods = false)
class RecordingKeyEvents {

    static final class Recorded implements KeyEvents {
        final List<KeyEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(KeyEvent event) {
            events.add(event);
        }

        <T extends KeyEvent> List<T> of(Class<T> type, String keyId) {
            return events.stream().filter(type::isInstance).map(type::cast).filter(e -> e.keyId().equals(keyId)).toList();
        }
    }

    @Bean
    Recorded recordedKeyEvents() {
        return new Recorded();
    }
}
