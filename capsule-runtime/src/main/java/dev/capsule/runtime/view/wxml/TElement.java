package dev.capsule.runtime.view.wxml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An element: a built-in or custom component tag. {@code class}, {@code style}, {@code id}, events,
 * {@code data-*} and {@code mark:*} are taken out of {@code attrs}; everything else (including
 * {@code hidden}, {@code slot}, external-class attributes and component properties) stays in {@code attrs}
 * in source order.
 *
 * @param tag the tag name as written (lower-case is not forced: WeChat tags are case-sensitive)
 * @param attrs the remaining attributes, in source order
 * @param events the event bindings, in source order
 * @param dataset {@code data-*} attributes by dataset key (WeChat's rule: {@code data-foo-bar} → {@code fooBar}, upper case folded)
 * @param marks {@code mark:x} attributes by mark name
 * @param cls the {@code class} attribute, or null when absent
 * @param style the {@code style} attribute, or null when absent
 * @param id the {@code id} attribute, or null when absent
 * @param children the child nodes
 * @param pos where the start tag begins
 */
public record TElement(String tag, List<TAttr> attrs, List<TEventBinding> events, Map<String, Binding> dataset,
        Map<String, Binding> marks, TClass cls, Binding style, Binding id, List<TNode> children, Pos pos) implements TNode {
    public TElement {
        attrs = List.copyOf(attrs);
        events = List.copyOf(events);
        // Source order kept (Map.copyOf's order differs from JVM to JVM): an event's dataset and mark
        // objects list their keys in it, the same in both isolation tiers.
        dataset = Collections.unmodifiableMap(new LinkedHashMap<>(dataset));
        marks = Collections.unmodifiableMap(new LinkedHashMap<>(marks));
        children = List.copyOf(children);
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("an element has a tag");
        }
    }
}
