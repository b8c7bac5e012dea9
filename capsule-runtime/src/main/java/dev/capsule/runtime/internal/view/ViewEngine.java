package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxss.StyleSet;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A session's view: instantiates each open page's template (and its custom components') with the
 * instances' data into a virtual tree, and turns every change into the minimal keyed diff as a
 * {@link dev.capsule.runtime.view.ViewBatch} of closed ops; resolves view events to handlers as WeChat
 * does. Not thread-safe: the session calls it on its event loop.
 *
 * <p>Security guarantees: guest values reach ops only as text, allowlisted attribute values (checked
 * against {@link dev.capsule.runtime.view.Builtins}), class tokens (reserved Capsule prefixes dropped),
 * checked style declarations or dataset strings; event bindings never leave the engine; every render
 * is bounded ({@link #FOR_ITEMS_MAX}, {@link #TEMPLATE_DEPTH_MAX}, the {@link ViewLimits}), a breach is
 * a {@link ViewRenderException}.
 */
public final class ViewEngine {
    /** Items one {@code wx:for} iterates (arrays, object entries, string characters, a number n). */
    public static final int FOR_ITEMS_MAX = 10_000;
    /** Nesting of {@code <template is>} and {@code <include>} uses (a template that uses itself ends here). */
    public static final int TEMPLATE_DEPTH_MAX = 64;
    /** Nesting of custom components inside each other on one page. */
    public static final int COMPONENT_DEPTH_MAX = 64;
    /** Re-renders of dirty instances in one {@link #flush} (observers that set data forever end here). */
    public static final int RENDERS_PER_FLUSH_MAX = 10_000;

    public ViewEngine(TemplateSet templates, ComponentIndex components, StyleSet styles, ComponentHost host, ViewLimits limits) {
        this(templates, components, styles, host, limits, UrlPolicy.PACKAGE_ONLY);
    }

    /**
     * @param urls the image policy the page's {@link dev.capsule.runtime.view.ViewTree} checks with: the
     *     engine drops what it would refuse, so a guest's URL never fails a batch
     */
    public ViewEngine(TemplateSet templates, ComponentIndex components, StyleSet styles, ComponentHost host, ViewLimits limits,
            UrlPolicy urls) {
        throw new UnsupportedOperationException("API only");
    }

    /** Opens a page (its data is read from the host at the next flush, which renders it whole). */
    public void openPage(InstanceId page, String route) {
        throw new UnsupportedOperationException("API only");
    }

    /** The instance's data changed (a setData, an observer): it re-renders at the next flush. */
    public void dataChanged(InstanceId instance, JsonNode data) {
        throw new UnsupportedOperationException("API only");
    }

    /** Renders every dirty page and component; one batch per page that changed, versions consecutive. */
    public List<PageBatch> flush() {
        throw new UnsupportedOperationException("API only");
    }

    /**
     * Resolves a view event on a page to its handlers (capture, then bubble; catch, mut-bind, marks, dataset).
     *
     * @return false when the page has no such node (removed before the event arrived): nothing ran
     */
    public boolean dispatch(InstanceId page, ViewEvent event) {
        throw new UnsupportedOperationException("API only");
    }

    /** A component's {@code this.triggerEvent(name, detail, {bubbles, composed, capturePhase})}. */
    public void triggerEvent(InstanceId from, String name, JsonNode detail, boolean bubbles, boolean composed, boolean capturePhase) {
        throw new UnsupportedOperationException("API only");
    }

    /** {@code selectComponent} ({@code all} false: the first or none) / {@code selectAllComponents} within {@code scope}'s template. */
    public List<InstanceId> select(InstanceId scope, String selector, boolean all) {
        throw new UnsupportedOperationException("API only");
    }

    /** {@code selectOwnerComponent}: the page or component whose template uses {@code instance}; null for a page. */
    public InstanceId owner(InstanceId instance) {
        throw new UnsupportedOperationException("API only");
    }

    /** {@code getRelationNodes(key)}: the instances linked to {@code instance} under its relation {@code key}, in tree order. */
    public List<InstanceId> relationNodes(InstanceId instance, String key) {
        throw new UnsupportedOperationException("API only");
    }

    /** Runs a {@code pageLifetimes} entry ({@code show}, {@code hide}, {@code resize}) on every component of a page. */
    public void pageLifetime(InstanceId page, String name, JsonNode arg) {
        throw new UnsupportedOperationException("API only");
    }

    /** The node of a component's host element on its page (empty for a virtual host or one not rendered yet). */
    public Optional<ViewNodeId> hostNode(InstanceId instance) {
        throw new UnsupportedOperationException("API only");
    }

    /** The stylesheet paths a page needs, for {@link StyleSet#css(List)}: the page, then its components in order of first use. */
    public List<String> sheetPaths(InstanceId page) {
        throw new UnsupportedOperationException("API only");
    }

    /** Closes a page: DETACHED and destroy for each of its components (children first); its batches end. */
    public void closePage(InstanceId page) {
        throw new UnsupportedOperationException("API only");
    }
}
