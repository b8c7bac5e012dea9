package dev.capsule.runtime.view;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable copy of a page's view tree at one version: the attached tree under the root and the
 * page chrome. Detached nodes (created but not inserted) are not part of it.
 *
 * @param version the version of the last batch applied (0 before any)
 * @param root    the page root ({@link ViewNodeId#ROOT}, tag {@code page})
 * @param chrome  chrome values by field, then by index (0 for fields that are not per tab item)
 */
public record ViewSnapshot(int version, ViewNode.Element root, Map<ChromeField, Map<Integer, String>> chrome) {
    public ViewSnapshot {
        Objects.requireNonNull(root, "root");
        var copy = new TreeMap<ChromeField, Map<Integer, String>>();
        chrome.forEach((field, values) -> copy.put(field, Collections.unmodifiableMap(new TreeMap<>(values))));
        chrome = Collections.unmodifiableMap(copy);
    }

    /** A chrome value, if set. */
    public Optional<String> chrome(ChromeField field, int index) {
        return Optional.ofNullable(chrome.getOrDefault(field, Map.of()).get(index));
    }

    /** A chrome value of a field that is not per tab item, if set. */
    public Optional<String> chrome(ChromeField field) {
        return chrome(field, 0);
    }

    /** The attached node with this id. */
    public Optional<ViewNode> find(ViewNodeId id) {
        var stack = new ArrayList<ViewNode>();
        stack.add(root);
        while (!stack.isEmpty()) {
            ViewNode node = stack.removeLast();
            if (node.id().equals(id)) {
                return Optional.of(node);
            }
            if (node instanceof ViewNode.Element element) {
                stack.addAll(element.children());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a host may hand {@code event} to the session showing this page: its target is an element of this
     * snapshot (which holds only the attached tree) and the element's component emits the type
     * ({@link Builtins#emits}). The one rule for reported events; {@link ViewTree#check} applies it too, so a host
     * that checks here first refuses exactly what the session would refuse.
     *
     * <p>Security guarantees: an event for a text node, a detached or unknown node, or of a type the target's
     * component does not emit is refused before any guest code sees it.
     *
     * @throws ViewOpException naming what is wrong
     */
    public void check(ViewEvent event) {
        ViewNode target = find(event.target()).orElse(null);
        check(event, target instanceof ViewNode.Element element ? element.tag() : null, true);
    }

    /**
     * The rule itself, for a target known by its tag (null: no element of that id) and whether it is attached.
     *
     * @throws ViewOpException naming what is wrong
     */
    static void check(ViewEvent event, String tag, boolean attached) {
        if (tag == null) {
            throw new ViewOpException("event target " + event.target() + " is not an element of this page");
        }
        if (!attached) {
            throw new ViewOpException("event target " + event.target() + " is not attached");
        }
        if (!Builtins.emits(tag, event.type())) {
            throw new ViewOpException("<" + tag + "> does not emit " + ViewOpException.quote(event.type()));
        }
    }

    /**
     * The attached elements matching a selector ({@link ViewSelector}'s grammar), in document order.
     *
     * @throws ViewOpException when the selector is not in the grammar
     */
    public List<ViewNodeId> select(String selector) {
        return ViewSelector.parse(selector).select(root);
    }
}
