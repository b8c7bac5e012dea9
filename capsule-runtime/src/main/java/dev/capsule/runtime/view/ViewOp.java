package dev.capsule.runtime.view;

import java.util.List;
import java.util.Objects;

/**
 * The closed set of operations that change a page's view tree. Records check only their shape (non-null
 * ids and names); what is allowed (tags, attributes and their values, style properties and values,
 * caps, tree structure) is checked by {@link ViewTree#apply}, against the tree as it stands.
 */
public sealed interface ViewOp {

    /**
     * A new, detached element: a built-in tag ({@link Builtins}), a rich-text element
     * ({@code rich-text:p}, see {@link RichTextSanitizer}), or a custom component's host tag
     * ({@code [a-z][a-z0-9_-]{0,63}}, rendered as an inert element).
     */
    record CreateElement(ViewNodeId id, String tag) implements ViewOp {
        public CreateElement {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tag, "tag");
        }
    }

    /** A new, detached text node. */
    record CreateText(ViewNodeId id, String text) implements ViewOp {
        public CreateText {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Replaces a text node's text. */
    record SetText(ViewNodeId id, String text) implements ViewOp {
        public SetText {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }

    /** Sets an attribute from the element's allowlist; a {@code null} value removes it. */
    record SetAttribute(ViewNodeId id, String name, String value) implements ViewOp {
        public SetAttribute {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** Replaces the element's class tokens (each {@code [A-Za-z_-][A-Za-z0-9_-]*}). */
    record SetClass(ViewNodeId id, List<String> classes) implements ViewOp {
        public SetClass {
            Objects.requireNonNull(id, "id");
            classes = List.copyOf(classes);
        }
    }

    /** Sets one inline style property from the allowlist ({@link StyleRules}); a {@code null} value removes it. */
    record SetStyle(ViewNodeId id, String property, String value) implements ViewOp {
        public SetStyle {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(property, "property");
        }
    }

    /** Sets one {@code data-*} entry (key as WeChat's dataset names it, camelCase); a {@code null} value removes it. */
    record SetDataset(ViewNodeId id, String key, String value) implements ViewOp {
        public SetDataset {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Attaches a detached node under {@code parent}, before the child {@code before} ({@code null}: last). */
    record Insert(ViewNodeId parent, ViewNodeId child, ViewNodeId before) implements ViewOp {
        public Insert {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(child, "child");
        }
    }

    /** Moves an attached node to {@code parent}, before {@code before} ({@code null}: last). */
    record Move(ViewNodeId parent, ViewNodeId child, ViewNodeId before) implements ViewOp {
        public Move {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(child, "child");
        }
    }

    /** Removes a node and its whole subtree (attached or not); their ids may be created again afterwards. */
    record Remove(ViewNodeId id) implements ViewOp {
        public Remove {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Sets a field of the page's chrome (navigation bar, background, tab bar); a {@code null} value clears it.
     * {@code index} is the tab bar item for {@link ChromeField#indexed() indexed} fields and 0 otherwise.
     */
    record SetChrome(ChromeField field, int index, String value) implements ViewOp {
        public SetChrome {
            Objects.requireNonNull(field, "field");
        }

        public SetChrome(ChromeField field, String value) {
            this(field, 0, value);
        }
    }
}
