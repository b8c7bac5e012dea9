package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.wxml.ResolvedTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A page or component instance as the engine holds it: its template's virtual nodes and render state. */
final class Instance {
    final InstanceId id;
    /** Package path without extension of its template (the page route or component path). */
    final String path;
    final PageView page;
    /** The host element in the owner's template; null for the page. */
    final VNode.Elem host;
    /** The definition; null for a page. */
    final ComponentInfo info;
    /** The template; null when the page or component has no WXML (renders nothing). */
    final ResolvedTemplate template;
    /** Scope classes its elements carry (from styleIsolation). */
    final List<String> scopeClasses;
    /** Data fields matching it are not visible to the template; null when none. */
    final Pattern pureData;
    /** Components nested inside each other up to here (0 for the page). */
    final int depth;

    /** The top-level nodes of its template. */
    List<VNode> children = new ArrayList<>();
    /** Data given by the last {@link ViewEngine#dataChanged}; null: read it from the host. */
    JsonNode data;
    boolean dirty = true;
    boolean removed;
    /** ATTACHED ran (so DETACHED is owed on removal). */
    boolean attached;
    /** External class name → the classes the owner passed for it (with the owner's scope classes). */
    java.util.Map<String, List<String>> externalClasses = java.util.Map.of();
    /** {@code componentGenerics} name → the component path its host chose (or the default). */
    java.util.Map<String, String> generics = java.util.Map.of();
    /** Its host element's id and data-* values last passed to the host ({@code this.id}, {@code this.dataset}). */
    String hostId = "";
    ObjectNode hostDataset;
    /** The properties last passed to it (declared ones only). */
    ObjectNode properties;
    /**
     * Its elements also carry the scopes of the page's {@code styleIsolation: shared} components
     * ({@link PageView#sharedScopes}): true for the page and for apply-shared/shared components.
     */
    boolean takesShared;

    Instance(InstanceId id, String path, PageView page, VNode.Elem host, ComponentInfo info, ResolvedTemplate template,
            List<String> scopeClasses, int depth) {
        this.id = id;
        this.path = path;
        this.page = page;
        this.host = host;
        this.info = info;
        this.template = template;
        this.scopeClasses = List.copyOf(scopeClasses);
        String pattern = info == null ? null : info.options().pureDataPattern();
        this.pureData = pattern == null ? null : Pattern.compile(pattern);
        this.depth = depth;
    }

    /** The scope classes its elements carry now: its own, plus the page's shared components' when it takes them. */
    List<String> scopes() {
        if (!takesShared || page.sharedScopes.isEmpty()) {
            return scopeClasses;
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(scopeClasses);
        out.addAll(page.sharedScopes);
        return List.copyOf(out);
    }

    /** The instance whose template uses this one; null for the page. */
    Instance owner() {
        return host == null ? null : host.owner;
    }

    boolean isPage() {
        return host == null;
    }
}
