package dev.capsule.runtime.internal.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * One element a selector query ({@code createSelectorQuery().select(...)}) matched in a page or
 * component template: what the query answers without a layout.
 *
 * @param id the element's {@code id} attribute as rendered ("" when it has none)
 * @param dataset its {@code data-*} values, with their types, as an event's dataset carries them; sorted by name
 * @param component the custom component it hosts; null for a built-in element
 * @param attributes its allowlisted attributes as rendered (a built-in's properties)
 */
public record QueriedElement(String id, Map<String, JsonNode> dataset, InstanceId component, Map<String, String> attributes) {
    public QueriedElement {
        Objects.requireNonNull(id, "id");
        // a stable order whatever map the view keeps (WeChat's dataset order carries no meaning)
        dataset = Collections.unmodifiableMap(new TreeMap<>(dataset));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
