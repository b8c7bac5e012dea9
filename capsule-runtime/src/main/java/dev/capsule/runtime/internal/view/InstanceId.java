package dev.capsule.runtime.internal.view;

/**
 * A page or component instance of one session. Pages and components share the session's one counter,
 * so an id names exactly one instance for the session's lifetime (never reused).
 */
public record InstanceId(int value) {
    public InstanceId {
        if (value <= 0) {
            throw new IllegalArgumentException("instance id must be > 0: " + value);
        }
    }

    @Override
    public String toString() {
        return "#" + value;
    }
}
