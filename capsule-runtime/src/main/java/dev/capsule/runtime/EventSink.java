package dev.capsule.runtime;

/** Receives a session's events in order, on the session's thread. Must not block for long. */
@FunctionalInterface
public interface EventSink {
    void accept(RuntimeEvent event);
}
