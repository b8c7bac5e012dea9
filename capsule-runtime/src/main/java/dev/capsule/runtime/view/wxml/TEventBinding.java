package dev.capsule.runtime.view.wxml;

/**
 * An event binding. Every prefix form maps to one kind: {@code bindtap} and {@code bind:tap} → BIND,
 * {@code catchtap} / {@code catch:tap} → CATCH, {@code capture-bind:tap} → CAPTURE_BIND,
 * {@code capture-catch:tap} → CAPTURE_CATCH, {@code mut-bind:tap} / {@code mut-bindtap} → MUT_BIND.
 *
 * @param event the event name ({@code tap})
 * @param kind how it binds
 * @param handler the handler method name (may be bound)
 */
public record TEventBinding(String event, Kind kind, Binding handler) {
    public TEventBinding {
        if (event.isEmpty()) {
            throw new IllegalArgumentException("an event binding names an event");
        }
    }

    public enum Kind { BIND, CATCH, CAPTURE_BIND, CAPTURE_CATCH, MUT_BIND }
}
