package dev.capsule.runtime.internal.view;

import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.StyleIsolation;
import dev.capsule.runtime.view.wxml.ComponentDecl;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxss.StyleSet;
import dev.capsule.runtime.view.Builtins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    /** The app stylesheet's path ({@code app.wxss}), whose scope every page element carries. */
    static final String APP_SHEET = "app";

    /** What every part of a render reads. */
    static final class Env {
        final TemplateSet templates;
        final ComponentIndex components;
        final ComponentHost host;
        final ViewLimits limits;
        final UrlPolicy urls;
        private final Map<String, ComponentInfo> infos = new HashMap<>();
        int rendersLeft;

        Env(TemplateSet templates, ComponentIndex components, ComponentHost host, ViewLimits limits, UrlPolicy urls) {
            this.templates = Objects.requireNonNull(templates, "templates");
            this.components = Objects.requireNonNull(components, "components");
            this.host = Objects.requireNonNull(host, "host");
            this.limits = Objects.requireNonNull(limits, "limits");
            this.urls = Objects.requireNonNull(urls, "urls");
        }

        ComponentInfo describe(String path) {
            ComponentInfo info = infos.get(path);
            if (info == null) {
                info = Objects.requireNonNull(host.describe(path), "describe");
                infos.put(path, info);
            }
            return info;
        }

        String where(Instance i) {
            return "page " + i.page.route + (i.isPage() ? "" : ", component " + i.path);
        }
    }

    private final Env env;
    private final Lifecycle lifecycle = new Lifecycle();
    private final Relations relations = new Relations();
    private final Renderer renderer;
    private final Map<InstanceId, PageView> pages = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    public ViewEngine(TemplateSet templates, ComponentIndex components, StyleSet styles, ComponentHost host, ViewLimits limits) {
        this(templates, components, styles, host, limits, UrlPolicy.PACKAGE_ONLY);
    }

    /**
     * @param urls the image policy the page's {@link dev.capsule.runtime.view.ViewTree} checks with: the
     *     engine drops what it would refuse, so a guest's URL never fails a batch
     */
    public ViewEngine(TemplateSet templates, ComponentIndex components, StyleSet styles, ComponentHost host, ViewLimits limits,
            UrlPolicy urls) {
        Objects.requireNonNull(styles, "styles"); // scope classes are StyleSet's static names; the set is the page CSS's
        this.env = new Env(templates, components, host, limits, urls);
        this.renderer = new Renderer(env, lifecycle);
    }

    /** Opens a page (its data is read from the host at the next flush, which renders it whole). */
    public void openPage(InstanceId page, String route) {
        Objects.requireNonNull(page, "page");
        String path = route.startsWith("/") ? route.substring(1) : route;
        if (pages.containsKey(page) || lifecycle.instances.containsKey(page)) {
            throw new IllegalStateException("instance " + page + " is already open");
        }
        PageView view = new PageView(path);
        // A page's own styleIsolation (its json; WeChat's page-* modes): every page-* mode turns app.wxss off on
        // the page, page-isolated also keeps shared components' rules off it (PageView.isolation for the rest).
        view.isolation = env.components.of(path).map(ComponentDecl::styleIsolation).orElse(null);
        boolean appStyles = view.isolation == null || !view.isolation.wire().startsWith("page-");
        List<String> scopes = appStyles ? List.of(StyleSet.scopeClass(APP_SHEET), StyleSet.scopeClass(path)) : List.of(StyleSet.scopeClass(path));
        Instance instance = new Instance(page, path, view, null, null, env.templates.page(path).orElse(null), scopes, 0);
        instance.takesShared = view.isolation != StyleIsolation.PAGE_ISOLATED;
        view.instance = instance;
        VNode.Elem root = new VNode.Elem(instance, Builtins.PAGE_TAG, null);
        root.id = ViewNodeId.ROOT;
        root.sentDepth = 1; // ViewTree counts the root as the first level of nesting
        List<String> rootClasses = new ArrayList<>(List.of(StyleSet.PAGE_ROOT_CLASS));
        rootClasses.addAll(scopes);
        root.classes = List.copyOf(rootClasses);
        view.root = root;
        pages.put(page, view);
        lifecycle.page(instance);
    }

    /**
     * The instance's data changed (a setData, an observer): it re-renders at the next flush. Unknown
     * instances are ignored. The engine keeps {@code data} (null: ask {@link ComponentHost#data}) and
     * compares later data with it, so the caller hands over a tree it never mutates afterwards.
     */
    public void dataChanged(InstanceId instance, JsonNode data) {
        Instance i = lifecycle.instances.get(instance);
        if (i != null) {
            i.data = data;
            i.dirty = true;
        }
    }

    /**
     * Renders every dirty page and component (parents first; lifetimes run when the tree is consistent,
     * and whatever they dirty renders in the same flush); one batch per page that changed, versions
     * consecutive.
     *
     * @throws ViewRenderException a limit was breached; nothing of this flush is returned. A breach
     *     while writing a page's ops freezes that page (and any page whose batch this flush had already
     *     written): it sends no further batches, as what the engine recorded as sent is not what the
     *     backend has
     */
    public List<PageBatch> flush() {
        env.rendersLeft = RENDERS_PER_FLUSH_MAX;
        boolean work = true;
        while (work) {
            work = false;
            for (PageView view : List.copyOf(pages.values())) {
                for (Instance dirty = firstDirty(view); dirty != null; dirty = firstDirty(view)) {
                    renderer.render(dirty);
                    work = true;
                }
            }
            if (lifecycle.pending()) {
                lifecycle.run(env.host, relations);
                work = true;
            }
        }
        List<PageBatch> out = new ArrayList<>();
        for (Map.Entry<InstanceId, PageView> e : pages.entrySet()) {
            PageView view = e.getValue();
            if (view.changed && !view.frozen) {
                view.changed = false;
                ViewBatch batch;
                try {
                    batch = OpWriter.write(env.limits, view);
                } catch (ViewRenderException breach) {
                    // What was recorded as sent is no longer what the backend will have (this page's batch
                    // failed, the batches already written are not returned): those pages stop updating
                    // rather than send ops against nodes the backend never got.
                    view.frozen = true;
                    out.forEach(written -> pages.get(written.page()).frozen = true);
                    throw breach;
                }
                if (batch != null) {
                    out.add(new PageBatch(e.getKey(), batch));
                }
            }
        }
        return out;
    }

    private static Instance firstDirty(PageView view) {
        for (Instance i : view.instances) {
            if (i.dirty && !i.removed) {
                return i;
            }
        }
        return null;
    }

    /**
     * Resolves a view event on a page to its handlers (capture, then bubble; catch, mut-bind, marks, dataset).
     * Touch-family events ({@link Builtins#COMMON_EVENTS}) bubble, compose and capture as a real tap;
     * every other event (input, change, submit, scroll, ...) reaches only its target.
     *
     * @return false when the page has no such node (removed before the event arrived): nothing ran
     */
    public boolean dispatch(InstanceId page, ViewEvent event) {
        PageView view = pages.get(page);
        if (view == null) {
            return false;
        }
        if (event.target().equals(ViewNodeId.ROOT)) {
            return true; // the page root holds no bindings
        }
        VNode node = view.byId.get(event.target());
        if (node == null) {
            return false;
        }
        VNode target = node instanceof VNode.Text t ? t.sentParent : node;
        if (target == null || target == view.root) {
            return true;
        }
        boolean bubbling = Events.BUBBLING.contains(event.type());
        Events.dispatch(env.host, millis(), target, event.type(), event.detail(), bubbling, bubbling, bubbling);
        return true;
    }

    private long millis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * A component's {@code this.triggerEvent(name, detail, {bubbles, composed, capturePhase})}: dispatched
     * on its host element in its owner's template. A page, or an instance no longer rendered, triggers nothing.
     */
    public void triggerEvent(InstanceId from, String name, JsonNode detail, boolean bubbles, boolean composed, boolean capturePhase) {
        Instance i = lifecycle.instances.get(from);
        if (i == null || i.host == null) {
            return;
        }
        Events.dispatch(env.host, millis(), i.host, name, detail == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : detail, bubbles, composed, capturePhase);
    }

    /**
     * {@code selectComponent} ({@code all} false: the first or none) / {@code selectAllComponents}: the
     * components in {@code scope}'s template (and, across {@code >>>}, in the templates of its
     * descendants) matching the selector, in tree order.
     *
     * @throws IllegalArgumentException the selector is outside the supported grammar ({@link ComponentSelector})
     */
    public List<InstanceId> select(InstanceId scope, String selector, boolean all) {
        List<ComponentSelector.Complex> parsed = ComponentSelector.parse(selector);
        Instance s = lifecycle.instances.get(scope);
        if (s == null) {
            return List.of();
        }
        boolean deep = parsed.stream().anyMatch(ComponentSelector.Complex::deep);
        List<VNode.Elem> hosts = new ArrayList<>();
        collectHosts(s.children, deep, hosts);
        List<InstanceId> out = new ArrayList<>();
        for (VNode.Elem h : hosts) {
            if (parsed.stream().anyMatch(c -> ComponentSelector.matches(c, h, s))) {
                out.add(h.component.id);
                if (!all) {
                    break;
                }
            }
        }
        return out;
    }

    private static void collectHosts(List<VNode> nodes, boolean deep, List<VNode.Elem> out) {
        for (VNode n : nodes) {
            switch (n) {
                case VNode.Elem e -> {
                    if (e.component != null) {
                        out.add(e);
                        if (deep) {
                            collectHosts(e.component.children, true, out);
                        }
                    }
                    collectHosts(e.children, deep, out);
                }
                case VNode.Frag f -> collectHosts(f.children, deep, out);
                case VNode.Text t -> {
                }
                case VNode.Slot sl -> {
                }
            }
        }
    }

    /**
     * A selector query's {@code select}/{@code selectAll} ({@code all} false: the first or none): the
     * elements, built-in or component hosts, of {@code scope}'s template (and across {@code >>>} of its
     * descendants' templates) matching the selector, in tree order, by the grammar of {@link #select}.
     *
     * @throws IllegalArgumentException the selector is outside the supported grammar ({@link ComponentSelector})
     */
    public List<QueriedElement> query(InstanceId scope, String selector, boolean all) {
        List<ComponentSelector.Complex> parsed = ComponentSelector.parse(selector);
        Instance s = lifecycle.instances.get(scope);
        if (s == null) {
            return List.of();
        }
        boolean deep = parsed.stream().anyMatch(ComponentSelector.Complex::deep);
        List<VNode.Elem> elements = new ArrayList<>();
        collectElements(s.children, deep, elements);
        List<QueriedElement> out = new ArrayList<>();
        for (VNode.Elem e : elements) {
            if (parsed.stream().anyMatch(c -> ComponentSelector.matches(c, e, s))) {
                out.add(new QueriedElement(e.elementId, e.datasetValues, e.component == null ? null : e.component.id, e.attrs));
                if (!all) {
                    break;
                }
            }
        }
        return out;
    }

    private static void collectElements(List<VNode> nodes, boolean deep, List<VNode.Elem> out) {
        for (VNode n : nodes) {
            switch (n) {
                case VNode.Elem e -> {
                    out.add(e);
                    if (deep && e.component != null) {
                        collectElements(e.component.children, true, out);
                    }
                    collectElements(e.children, deep, out);
                }
                case VNode.Frag f -> collectElements(f.children, deep, out);
                case VNode.Text t -> {
                }
                case VNode.Slot sl -> {
                }
            }
        }
    }

    /** {@code selectOwnerComponent}: the page or component whose template uses {@code instance}; null for a page or an unknown instance. */
    public InstanceId owner(InstanceId instance) {
        Instance i = lifecycle.instances.get(instance);
        Instance owner = i == null ? null : i.owner();
        return owner == null ? null : owner.id;
    }

    /** {@code getRelationNodes(key)}: the instances linked to {@code instance} under its relation {@code key}, in link order. */
    public List<InstanceId> relationNodes(InstanceId instance, String key) {
        Instance i = lifecycle.instances.get(instance);
        return i == null ? List.of() : relations.nodes(i, key);
    }

    /** Runs a {@code pageLifetimes} entry ({@code show}, {@code hide}, {@code resize}) on every component of a page. */
    public void pageLifetime(InstanceId page, String name, JsonNode arg) {
        PageView view = pages.get(page);
        if (view == null) {
            return;
        }
        for (Instance i : List.copyOf(view.instances)) {
            if (!i.isPage() && !i.removed) {
                env.host.pageLifetime(i.id, name, arg);
            }
        }
    }

    /** The node of a component's host element on its page (empty for a virtual host or one not rendered yet). */
    public Optional<ViewNodeId> hostNode(InstanceId instance) {
        Instance i = lifecycle.instances.get(instance);
        return i == null || i.host == null ? Optional.empty() : Optional.ofNullable(i.host.id);
    }

    /** The stylesheet paths a page needs, for {@link StyleSet#css(List)}: the page, then its components in order of first use. */
    public List<String> sheetPaths(InstanceId page) {
        PageView view = pages.get(page);
        return view == null ? List.of() : List.copyOf(view.sheets);
    }

    /**
     * Queues chrome ops (navigation bar, background, tab bar) for the page's next batch, ahead of its tree
     * ops; the session's chrome state (internal {@code PageChrome}) decides them. An unknown page is ignored.
     */
    public void chrome(InstanceId page, List<dev.capsule.runtime.view.ViewOp.SetChrome> ops) {
        PageView view = pages.get(page);
        if (view != null && !ops.isEmpty()) {
            view.chrome.addAll(ops);
            view.changed = true;
        }
    }

    /** Closes a page: DETACHED and destroy for each of its components (children first); its batches end. */
    public void closePage(InstanceId page) {
        PageView view = pages.remove(page);
        if (view == null) {
            return;
        }
        List<Instance> all = new ArrayList<>(view.instances);
        lifecycle.instances.remove(page);
        for (int k = all.size() - 1; k >= 0; k--) {
            Instance i = all.get(k);
            if (i.isPage()) {
                continue;
            }
            i.removed = true;
            lifecycle.instances.remove(i.id);
            relations.unlinkAll(i, env.host);
        }
        for (int k = all.size() - 1; k >= 0; k--) {
            Instance i = all.get(k);
            if (!i.isPage()) {
                if (i.attached) {
                    env.host.lifetime(i.id, Lifetime.DETACHED);
                }
                env.host.destroy(i.id);
            }
        }
    }
}
