package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.PageEvents;
import dev.capsule.runtime.RuntimeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The page stack and WeChat's navigation order. The host owns the stack (depth limit, routes
 * allowed by app.json); the framework script holds the page instances. Loop thread only.
 */
final class Navigator {
    private record Page(int id, String route) {}

    private final Session session;
    private final List<Page> stack = new ArrayList<>();
    private final Map<String, Page> tabPages = new HashMap<>();
    private volatile String currentRoute;
    /** The stack's size as last published, for other threads ({@link #canGoBack()}). */
    private volatile int publishedDepth;

    Navigator(Session session) {
        this.session = session;
    }

    String currentRoute() {
        return currentRoute;
    }

    int depth() {
        return stack.size();
    }

    /** Whether the stack has more than one page, as last published: any thread. */
    boolean canGoBack() {
        return publishedDepth > 1;
    }

    /** The host's back arrow: back by one page, or nothing when the stack has one page (the guest navigated meanwhile). */
    void hostBack() {
        if (stack.size() > 1) {
            navigateBack(1);
        }
    }

    /**
     * The host's tab bar ({@code index} checked against app.json's tabBar list): switchTab to the tab page, unless
     * it already is the only page (a tap on the selected tab switches nothing, as WeChat), then its
     * {@code onTabItemTap({index, pagePath, text})} if it has one.
     */
    void hostTab(int index, String text) {
        String route = session.pkg.app().tabBarPages().get(index);
        Page top = top();
        if (top == null || stack.size() > 1 || !top.route().equals(route)) {
            switchTab(new Target(route, "{}"));
        }
        Page shown = top();
        if (shown == null || !shown.route().equals(route)) {
            return; // the tab page could not be opened (its script failed): an error line already says so
        }
        String tap = Json.write(Json.object().put("index", index).put("pagePath", route).put("text", text));
        boolean[] exists = {false};
        if (session.runEvent("lookup onTabItemTap", () -> exists[0] = session.framework().invokeMember("hasHandler", shown.id(), "onTabItemTap").asBoolean())
                && exists[0]) {
            session.runEvent("onTabItemTap", () -> session.framework().invokeMember("hook", shown.id(), "onTabItemTap", tap));
        }
    }

    /** The id of the page on top of the stack, 0 when none. */
    int topId() {
        Page top = top();
        return top == null ? 0 : top.id();
    }

    /** Whether {@code id} is an open page (on the stack or a kept tab page), not a component. */
    boolean isPage(int id) {
        for (Page p : stack) {
            if (p.id() == id) {
                return true;
            }
        }
        for (Page p : tabPages.values()) {
            if (p.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** Opens the entry page; false if its script failed or did not call Page() (a failed launch). */
    boolean launch(String route, String queryJson) {
        return open(route, queryJson);
    }

    /** WeChat's scheme of a plugin's page; Capsule runs no plugins. */
    static final String PLUGIN_SCHEME = "plugin://";

    static boolean isPlugin(String pathOrUrl) {
        return pathOrUrl.regionMatches(true, 0, PLUGIN_SCHEME, 0, PLUGIN_SCHEME.length())
                || pathOrUrl.regionMatches(true, 0, "/" + PLUGIN_SCHEME, 0, PLUGIN_SCHEME.length() + 1);
    }

    /** The one reason given wherever a plugin's page is asked for (launch, navigation). */
    static String pluginRefusal(String pathOrUrl) {
        return "plugins are not supported: cannot open " + SafeText.escape(pathOrUrl);
    }

    /** True if {@code route} is a page of an independent subpackage (it runs without the main package's app.js). */
    boolean isIndependent(String route) {
        return session.pkg.app().packageOf(route).map(AppConfig.Subpackage::independent).orElse(false);
    }

    /** A route plus its query, from a url such as "/pages/a/a?id=1" or "../b/b", or null if it is not a page. */
    record Target(String route, String queryJson) {}

    Target resolve(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q + 1);
        String base = path.startsWith("/") ? "" : (currentRoute == null ? "" : currentRoute.substring(0, currentRoute.lastIndexOf('/') + 1));
        List<String> parts = new ArrayList<>();
        for (String seg : (base + (path.startsWith("/") ? path.substring(1) : path)).split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        String route = String.join("/", parts);
        if (!session.pkg.app().pages().contains(route)) {
            return null;
        }
        ObjectNode params = Json.object();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                params.put(k, v);
            }
        }
        return new Target(route, Json.write(params));
    }

    boolean isTab(String route) {
        return session.pkg.app().tabBarPages().contains(route);
    }

    /** navigateTo: hide the current page, open the new one on top. */
    void navigateTo(Target t) {
        Page top = top();
        if (top != null) {
            hide(top);
        }
        open(t.route(), t.queryJson());
    }

    /** redirectTo: unload the current page, open the new one in its place. */
    void redirectTo(Target t) {
        Page top = top();
        if (top != null) {
            unload(top);
            stack.removeLast();
        }
        open(t.route(), t.queryJson());
    }

    /** navigateBack: unload {@code delta} pages (never the last), show the one below. */
    void navigateBack(int delta) {
        int pops = Math.min(Math.max(delta, 1), stack.size() - 1);
        for (int i = 0; i < pops; i++) {
            unload(stack.removeLast());
        }
        publishStack();
        Page top = top();
        if (top != null) {
            show(top);
        }
    }

    /** switchTab: close every non-tab page, show the tab page (created once, kept alive). */
    void switchTab(Target t) {
        Page top = top();
        while (!stack.isEmpty()) {
            Page p = stack.removeLast();
            if (isTab(p.route())) {
                if (p == top) {
                    hide(p);
                }
            } else {
                unload(p);
            }
        }
        Page cached = tabPages.get(t.route());
        if (cached != null) {
            stack.add(cached);
            publishStack();
            show(cached);
        } else {
            open(t.route(), "{}");
        }
    }

    /** reLaunch: close every page, tab pages included, and open the target. */
    void reLaunch(Target t) {
        while (!stack.isEmpty()) {
            unload(stack.removeLast());
        }
        for (Page p : List.copyOf(tabPages.values())) {
            unload(p);
        }
        tabPages.clear();
        open(t.route(), t.queryJson());
    }

    /** False if the page could not be created (its script failed or did not call Page()); the stack is unchanged. */
    private boolean open(String route, String queryJson) {
        // Leaving an independent subpackage for the first time loads the main package, as WeChat.
        if (!isIndependent(route) && !session.ensureApp()) {
            session.emit(new RuntimeEvent.Log("error", "page " + route + " not opened: the main package's app.js failed or did not call App()"));
            return false;
        }
        int id = session.sessionView().nextId().value();
        Page page = new Page(id, route);
        session.sessionView().pageCreated(id);
        if (!session.runEvent("load " + route, () -> session.framework().invokeMember("createPage", id, route, queryJson))) {
            session.sessionView().pageClosed(id);
            return false;
        }
        stack.add(page);
        if (isTab(route)) {
            tabPages.put(route, page);
        }
        publishStack();
        session.hook(id, route, "onLoad", queryJson);
        show(page);
        // The first render has the data onLoad and onShow set, as WeChat's; its components are ready before onReady.
        session.sessionView().pageOpened(id, route);
        session.renderNow();
        session.hook(id, route, "onReady", null);
        return true;
    }

    /** The page's onShow, then its components' pageLifetimes.show. */
    private void show(Page p) {
        session.hook(p.id(), p.route(), "onShow", null);
        if (session.sessionView().hasView(p.id())) {
            session.runEvent("pageLifetimes.show", () -> session.sessionView().pageLifetime(p.id(), "show", null));
        }
    }

    private void hide(Page p) {
        session.hook(p.id(), p.route(), "onHide", null);
        if (session.sessionView().hasView(p.id())) {
            session.runEvent("pageLifetimes.hide", () -> session.sessionView().pageLifetime(p.id(), "hide", null));
        }
    }

    private void unload(Page p) {
        session.hook(p.id(), p.route(), "onUnload", null);
        tabPages.remove(p.route(), p);
        session.runEvent("drop", () -> session.framework().invokeMember("dropPage", p.id()));
        session.sessionView().pageClosed(p.id());
    }

    private void publishStack() {
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < stack.size(); i++) {
            ids.append(i == 0 ? "" : ",").append(stack.get(i).id());
        }
        String json = ids.append(']').toString();
        Page top = top();
        currentRoute = top == null ? null : top.route();
        publishedDepth = stack.size();
        if (top != null) {
            session.sessionView().pageShown(top.id(), stack.size());
        }
        session.runEvent("stack", () -> session.framework().invokeMember("setStack", json));
    }

    private Page top() {
        return stack.isEmpty() ? null : stack.getLast();
    }

    /**
     * Runs a view event handler or a page event ({@link PageEvents}) on a page of the stack. A dispatch the
     * rules refuse (a lifecycle or share hook, a page event of the wrong shape, a tab tap on a page that
     * is not that tab) is an error line and runs nothing.
     */
    void dispatch(String handler, String route, String eventJson) {
        Page target = null;
        for (int i = stack.size() - 1; i >= 0 && target == null; i--) {
            if (route == null || stack.get(i).route().equals(route)) {
                target = stack.get(i);
            }
        }
        if (target == null) {
            session.emit(new RuntimeEvent.Log("error", "no page " + (route == null ? "" : SafeText.escape(route) + " ") + "on the stack for handler "
                    + SafeText.escape(handler)));
            return;
        }
        Page page = target;
        PageEvents.Checked checked;
        try {
            checked = PageEvents.check(handler, eventJson);
            if (handler.equals("onTabItemTap")) {
                tabTap(page, Json.parse(checked.argumentJson()));
            }
            if (handler.equals("onPullDownRefresh")) {
                PageScrollApis.pulledDown(session, page.id(), page.route()); // viewapis: enablePullDownRefresh, the indicator
            }
        } catch (IllegalArgumentException e) {
            session.emit(new RuntimeEvent.Log("error", "dispatch refused: " + SafeText.escape(e.getMessage())));
            return;
        }
        String json = checked.pageEvent() ? checked.argumentJson() : Json.write(viewEvent(Json.parse(checked.argumentJson())));
        boolean[] exists = {false};
        if (!session.runEvent("lookup " + handler, () -> exists[0] = session.framework().invokeMember("hasHandler", page.id(), handler).asBoolean())) {
            return;
        }
        if (!exists[0]) {
            session.emit(new RuntimeEvent.Log("warn", "page " + page.route() + " has no handler " + SafeText.escape(handler)));
        } else {
            session.runEvent(handler, () -> {
                if (json == null) {
                    session.framework().invokeMember("hook", page.id(), handler);
                } else {
                    session.framework().invokeMember("hook", page.id(), handler, json);
                }
            });
        }
        // The page's components get the resize too, with the page's argument, whether or not the page has onResize (as WeChat).
        if (handler.equals("onResize") && session.sessionView().hasView(page.id())) {
            session.runEvent("pageLifetimes.resize", () -> session.sessionView().pageLifetime(page.id(), "resize", Json.parse(json)));
        }
    }

    /** onTabItemTap goes to the tab page whose item was tapped: its index and path in app.json's tabBar. */
    private void tabTap(Page page, JsonNode tap) {
        int index = session.pkg.app().tabBarPages().indexOf(page.route());
        if (index < 0) {
            throw new IllegalArgumentException("onTabItemTap: page " + page.route() + " is not a tab page");
        }
        if (tap.get("index").asInt() != index || !tap.get("pagePath").stringValue().equals(page.route())) {
            throw new IllegalArgumentException("onTabItemTap: page " + page.route() + " is tab item " + index + " with pagePath " + page.route());
        }
    }

    /** A view event handler's argument: {type, timeStamp, detail, target, currentTarget} from what the host gave. */
    private ObjectNode viewEvent(JsonNode given) {
        ObjectNode event = Json.object();
        event.put("type", given.has("type") && given.get("type").isString() ? given.get("type").stringValue() : "tap");
        event.put("timeStamp", session.millisSinceLaunch());
        event.set("detail", given.has("detail") ? given.get("detail") : Json.object());
        ObjectNode current = Json.object().put("id", "");
        current.set("dataset", Json.object());
        if (given.get("currentTarget") instanceof ObjectNode ct) {
            current.setAll(ct);
        }
        event.set("currentTarget", current);
        event.set("target", given.get("target") instanceof ObjectNode t ? t : current.deepCopy());
        return event;
    }
}
