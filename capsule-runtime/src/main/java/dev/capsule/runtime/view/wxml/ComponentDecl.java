package dev.capsule.runtime.view.wxml;

import java.util.Map;

/**
 * What a page's or component's json declares.
 *
 * @param path the page or component, package path without extension
 * @param component {@code "component": true}
 * @param usingComponents tag → component path without extension (its own json only; app.json's are
 *                        applied by {@link ComponentIndex#resolveTag})
 * @param generics {@code componentGenerics}: generic name → its default component path, or null when it has none
 * @param placeholders {@code componentPlaceholder}: tag → placeholder tag
 * @param styleIsolation from json, or null when the json does not say
 */
public record ComponentDecl(String path, boolean component, Map<String, String> usingComponents,
        Map<String, Generic> generics, Map<String, String> placeholders, StyleIsolation styleIsolation) {
    public ComponentDecl {
        usingComponents = Map.copyOf(usingComponents);
        generics = Map.copyOf(generics);
        placeholders = Map.copyOf(placeholders);
    }

    /** A generic slot of a component; {@code defaultPath} null when it has no default. */
    public record Generic(String name, String defaultPath) {
    }
}
