package dev.capsule.runtime.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** An immutable node of a {@link ViewSnapshot}. */
public sealed interface ViewNode {
    ViewNodeId id();

    /**
     * An element: attributes and dataset sorted by name, style properties in the order first set.
     * Values were checked by {@link ViewTree#apply} when they were set.
     */
    record Element(ViewNodeId id, String tag, Map<String, String> attributes, List<String> classes,
                   Map<String, String> style, Map<String, String> dataset, List<ViewNode> children) implements ViewNode {
        public Element {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tag, "tag");
            attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
            classes = List.copyOf(classes);
            style = Collections.unmodifiableMap(new LinkedHashMap<>(style));
            dataset = Collections.unmodifiableMap(new TreeMap<>(dataset));
            children = List.copyOf(children);
        }
    }

    /** A text node. */
    record Text(ViewNodeId id, String text) implements ViewNode {
        public Text {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }
}
