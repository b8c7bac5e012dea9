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
     * The attached elements matching a selector ({@link ViewSelector}'s grammar), in document order.
     *
     * @throws ViewOpException when the selector is not in the grammar
     */
    public List<ViewNodeId> select(String selector) {
        return ViewSelector.parse(selector).select(root);
    }
}
