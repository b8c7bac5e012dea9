package dev.capsule.testing.server;

import dev.capsule.server.keys.KeyEvent;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

/**
 * Records every {@link KeyEvent} the keys module publishes, as the audit module would receive them.
 * (In this package, outside {@code dev.capsule.server}, so that no application context scans it.)
 */
@TestConfiguration(proxyBeanMethods = false)
public class KeyEventRecorder {
    private final List<KeyEvent> events = new ArrayList<>();

    @EventListener
    synchronized void on(KeyEvent event) {
        events.add(event);
    }

    public synchronized List<KeyEvent> all() {
        return List.copyOf(events);
    }

    public List<KeyEvent> of(String purpose) {
        return all().stream().filter(event -> event.purpose().equals(purpose)).toList();
    }
}
