package dev.capsule.runtime.view;

/**
 * A node of one page's view tree. Ids are chosen by the side that produces ops (the engine) and are
 * positive; {@link #ROOT} (1) is the page's root element, which every {@link ViewTree} has from the start.
 */
public record ViewNodeId(int value) {
    /** The page root: tag {@code page}, never created, moved or removed by an op. */
    public static final ViewNodeId ROOT = new ViewNodeId(1);

    public ViewNodeId {
        if (value <= 0) {
            throw new ViewOpException("view node id must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return "#" + value;
    }
}
