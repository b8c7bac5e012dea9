package dev.capsule.runtime;

import java.util.ArrayList;
import java.util.List;

/** Collects a session's events for assertions. */
final class Recorder implements EventSink {
    private final List<RuntimeEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(RuntimeEvent event) {
        events.add(event);
    }

    synchronized List<RuntimeEvent> all() {
        return List.copyOf(events);
    }

    <T extends RuntimeEvent> List<T> of(Class<T> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** "target.hook" for every lifecycle event, in order. */
    List<String> lifecycle() {
        return of(RuntimeEvent.Lifecycle.class).stream().map(e -> e.target() + "." + e.hook()).toList();
    }

    List<String> logs() {
        return of(RuntimeEvent.Log.class).stream().map(RuntimeEvent.Log::text).toList();
    }

    /** The last data of {@code route}, as JSON text. */
    String lastData(String route) {
        List<RuntimeEvent.Data> data = of(RuntimeEvent.Data.class).stream().filter(d -> d.route().equals(route)).toList();
        return data.isEmpty() ? null : data.getLast().json();
    }

    List<RuntimeEvent.Api> apis(String name) {
        return of(RuntimeEvent.Api.class).stream().filter(a -> a.name().equals(name)).toList();
    }

    List<RuntimeEvent.Violation> violations() {
        return of(RuntimeEvent.Violation.class);
    }

    @Override
    public String toString() {
        return String.join("\n", all().stream().map(Object::toString).toList());
    }
}
