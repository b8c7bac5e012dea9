package dev.capsule.runtime.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A node of sanitized rich-text ({@link RichTextSanitizer}): what the engine turns into
 * {@link ViewOp.CreateElement} (with the {@code rich-text:*} tag), {@link ViewOp.SetAttribute},
 * {@link ViewOp.SetClass}, {@link ViewOp.SetStyle} and {@link ViewOp.CreateText} ops under the
 * {@code rich-text} element. Every value in it already passed the same checks {@link ViewTree} applies.
 */
public sealed interface RichNode {

    /** An allowlisted element; {@code tag} is the view tag ({@code rich-text:p}). */
    record Element(String tag, Map<String, String> attributes, List<String> classes, Map<String, String> style, List<RichNode> children)
            implements RichNode {
        public Element {
            Objects.requireNonNull(tag, "tag");
            attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
            classes = List.copyOf(classes);
            style = Collections.unmodifiableMap(new LinkedHashMap<>(style));
            children = List.copyOf(children);
        }
    }

    /** Text, always rendered as text. */
    record Text(String text) implements RichNode {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }
}
