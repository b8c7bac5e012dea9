package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.internal.view.InstanceId;
import dev.capsule.runtime.internal.view.PageBatch;
import dev.capsule.runtime.internal.view.SessionComponents;
import dev.capsule.runtime.internal.view.QueriedElement;
import dev.capsule.runtime.internal.view.ViewEngine;
import dev.capsule.runtime.internal.view.ViewRenderException;
import dev.capsule.runtime.internal.view.WxsContext;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.ViewPackage;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.WxssException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import tools.jackson.databind.JsonNode;

/**
 * A session's view, in whichever tier the session runs: the package's templates, styles and component
 * index compiled once at start, the {@link ViewEngine} over the session's component instances
 * ({@link SessionComponents}), the WXS context, and where the batches go ({@link Sink}: the host's
 * {@link PageViews} in-process, VIEW frames in a worker). The framework script's view members
 * ({@code host.viewData}, {@code host.triggerEvent}, ...) land here through {@link HostBridge}. Loop thread only.
 */
final class SessionView {
    /** Render passes after one event: observers and lifetimes that set data again are rendered in the same flush up to here. */
    static final int FLUSH_PASSES_MAX = 8;

    /** Where a session's batches and page changes go. */
    interface Sink {
        void batch(int page, String route, ViewBatch batch);

        /** The page is on top of a stack of {@code depth} pages. */
        void shown(int page, int depth);

        void closed(int page);
    }

    private final Session session;
    private final Sink sink;
    private final Map<InstanceId, String> openPages = new HashMap<>();
    /** Pages created and not yet opened in the engine (their data is kept until their first render reads it). */
    private final java.util.Set<InstanceId> pendingPages = new java.util.HashSet<>();
    private SessionComponents components;
    private ViewEngine engine;
    private volatile WxsContext wxs;
    private TemplateSet templates;
    private int lastId;
    /** Something changed that the next flush renders (data, a page opened, an event queued in the engine). */
    private boolean dirty;
    /** The pages' chrome and the shared tab bar (viewapis: {@link #chrome()}). */
    private PageChrome chrome;

    SessionView(Session session, Sink sink) {
        this.session = session;
        this.sink = sink;
    }

    /**
     * Compiles the package's templates, component index and styles and makes the engine (a package
     * without a single {@code .wxml} has no view and compiles nothing). Throws the
     * compiler's error (file:line:col) for a package whose view does not compile: pack refuses those,
     * so only a package built around it gets here, and its launch fails.
     */
    void start(Engine polyglot) throws WxmlException, WxssException {
        Optional<ViewPackage> view = ViewPackage.of(session.pkg);
        if (view.isEmpty()) {
            return; // no template, no view: nothing to compile, and pages open without one
        }
        templates = view.get().templates();
        ComponentIndex index = view.get().components();
        var styles = view.get().styles();
        wxs = new WxsContext(polyglot, templates.wxsFiles(), session.limits.statementsPerEventMax(), new WxsContext.Listener() {
            @Override
            public void failed(String message) {
                session.emit(new RuntimeEvent.Log("error", HostBridge.logLine(message)));
            }

            @Override
            public void overBudget(String message) {
                session.requestStop(ViolationKind.CPU, message, false);
            }
        });
        components = new SessionComponents(new SessionComponents.Guest() {
            @Override
            public Value framework() {
                return session.framework();
            }

            @Override
            public void uncaught(String label, PolyglotException error) {
                session.guestError(label, error);
            }
        }, templates, wxs);
        // The host's trees accept https images from the same hosts, so the engine never sends one they refuse.
        engine = new ViewEngine(templates, index, styles, components, ViewLimits.defaults(), PageViews.urls(session.pkg.manifest()));
    }

    /** The session's one instance counter: pages take their ids here, components in {@link SessionComponents}. */
    InstanceId nextId() {
        return components != null ? components.nextId() : new InstanceId(++lastId);
    }

    // ---- pages ----------------------------------------------------------------------------------

    /** A page is being created (its onLoad has not run): its data waits for its first render. */
    void pageCreated(int page) {
        pendingPages.add(new InstanceId(page));
    }

    /** A page was loaded and shown: it renders (at the next flush) if the package has its template. */
    void pageOpened(int page, String route) {
        InstanceId id = new InstanceId(page);
        pendingPages.remove(id);
        if (engine != null && templates.page(route).isPresent()) {
            openPages.put(id, route);
            engine.openPage(id, route);
            engine.chrome(id, chrome().opened(route));
            engine.chrome(id, chrome().shown(route)); // a tab page's tab bar (pageShown repeats it on a switch back; same values)
            dirty = true;
        }
    }

    boolean hasView(int page) {
        return openPages.containsKey(new InstanceId(page));
    }

    void pageShown(int page, int depth) {
        sink.shown(page, depth);
        String route = openPages.get(new InstanceId(page));
        if (route != null) {
            chrome(page, chrome().shown(route)); // a tab page shows the shared tab bar, its item selected
        }
    }

    // ---- chrome (viewapis) ----------------------------------------------------------------------

    /** The session's chrome state, made on first use (a package without templates has a tab bar too). */
    PageChrome chrome() {
        if (chrome == null) {
            chrome = new PageChrome(session.pkg, ViewLimits.defaults(),
                    w -> session.emit(new RuntimeEvent.Log("warn", HostBridge.logLine(w))));
        }
        return chrome;
    }

    /** Sends chrome ops in the page's next batch; false when the page has no view (nothing is rendered for it). */
    boolean chrome(int page, List<dev.capsule.runtime.view.ViewOp.SetChrome> ops) {
        InstanceId id = new InstanceId(page);
        if (!openPages.containsKey(id)) {
            return false;
        }
        engine.chrome(id, ops);
        dirty = true;
        return true;
    }

    /** A page lifetime (show, hide, resize) for the page's components; {@code arg} is resize's size argument, else null. */
    void pageLifetime(int page, String name, JsonNode arg) {
        InstanceId id = new InstanceId(page);
        if (openPages.containsKey(id)) {
            engine.pageLifetime(id, name, arg);
            dirty = true;
        }
    }

    void pageClosed(int page) {
        InstanceId id = new InstanceId(page);
        pendingPages.remove(id);
        if (components != null) {
            components.forget(id);
        }
        if (openPages.remove(id) != null) {
            engine.closePage(id);
            sink.closed(page);
        }
    }

    /** Renders what the event changed and sends each page's batch; a render past a bound is the page's error. */
    boolean dirty() {
        return dirty && !openPages.isEmpty();
    }

    void flush() {
        if (engine == null || openPages.isEmpty()) {
            return;
        }
        dirty = false;
        for (int pass = 0; pass < FLUSH_PASSES_MAX; pass++) {
            List<PageBatch> batches;
            try {
                batches = engine.flush();
            } catch (ViewRenderException e) {
                session.emit(new RuntimeEvent.Log("error", HostBridge.logLine("render failed: " + SafeText.escape(String.valueOf(e.getMessage())))));
                return;
            }
            if (batches.isEmpty()) {
                dirty = false; // what guest code set while rendering was rendered too
                return;
            }
            for (PageBatch b : batches) {
                String route = openPages.get(b.page());
                if (route != null) {
                    sink.batch(b.page().value(), route, b.batch());
                }
            }
        }
    }

    /** A view event on the page on top: resolved to its handlers by the engine, as a real tap. */
    void dispatch(int page, ViewEvent event) {
        InstanceId id = new InstanceId(page);
        if (!openPages.containsKey(id)) {
            session.emit(new RuntimeEvent.Log("error", "view event refused: the current page has no view"));
            return;
        }
        dirty = true;
        engine.dispatch(id, event);
    }

    // ---- the framework's members ----------------------------------------------------------------

    void dataReported(int instance, String json) {
        if (components == null) {
            return;
        }
        InstanceId id = new InstanceId(instance);
        JsonNode data = components.dataReported(id, json);
        if (!pendingPages.contains(id)) {
            engine.dataChanged(id, data);
            dirty = true;
        }
    }

    void triggerEvent(int from, String name, String detailJson, boolean bubbles, boolean composed, boolean capturePhase) {
        if (engine != null) {
            dirty = true;
            engine.triggerEvent(new InstanceId(from), name, Json.parse(detailJson), bubbles, composed, capturePhase);
        }
    }

    /**
     * The ids (a JSON array) of the components a selector matches in {@code scope}'s view, or "!" and
     * the reason for a selector outside the grammar (the framework throws it to the caller, as require does).
     */
    String select(int scope, String selector, boolean all) {
        if (engine == null) {
            return "[]";
        }
        try {
            return ids(engine.select(new InstanceId(scope), selector, all));
        } catch (IllegalArgumentException e) {
            return "!selectComponent: " + e.getMessage();
        }
    }

    /**
     * The elements a selector query matches in {@code scope}'s view (a page or component instance); none
     * without a view.
     *
     * @throws IllegalArgumentException the selector is outside the grammar
     */
    List<QueriedElement> query(int scope, String selector, boolean all) {
        return engine == null ? List.of() : engine.query(new InstanceId(scope), selector, all);
    }

    /** A component instance's data as the view last rendered it (its properties among it); null without a view. */
    JsonNode componentData(InstanceId instance) {
        return components == null ? null : components.data(instance);
    }

    int owner(int instance) {
        if (engine == null) {
            return 0;
        }
        InstanceId owner = engine.owner(new InstanceId(instance));
        return owner == null ? 0 : owner.value();
    }

    String relationNodes(int instance, String key) {
        return engine == null ? "[]" : ids(engine.relationNodes(new InstanceId(instance), key));
    }

    private static String ids(List<InstanceId> ids) {
        var array = Json.mapper().createArrayNode();
        ids.forEach(i -> array.add(i.value()));
        return Json.write(array);
    }

    /** The watchdog's stop: a WXS call running under the stopped event is cancelled too. */
    void cancelWxs() {
        WxsContext w = wxs;
        if (w != null) {
            w.cancel();
        }
    }

    void close() {
        WxsContext w = wxs;
        if (w != null) {
            w.close();
        }
    }
}
