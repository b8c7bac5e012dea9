package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import dev.capsule.server.host.internal.CatalogueEntry;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.TestChromium;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shell page in Debian's Chromium without a server: {@code templates/shell/app.html} rendered by a standalone
 * Thymeleaf engine, the shipped {@code static/shell/*} files, both served through {@code page.route} with the
 * shell's Content-Security-Policy, and the WebSocket answered by the test through {@code page.routeWebSocket}
 * (the test plays the server's side of the wire). An init script (test instrumentation, not part of the page)
 * counts CSP violations, turns {@code alert} into the {@code window.__pwned} canary and keeps a reference to the
 * frame's closed shadow root so the test can read what the guest's DOM became.
 */
final class ShellBrowser implements AutoCloseable {
    static final String ORIGIN = "https://shell.test";
    static final String APP = "com.example.todo";
    static final String SESSION = "0123456789abcdef0123456789abcdef";
    /** The shell session's CSRF token the page carries (data-shell-csrf). */
    static final String CSRF = "test-shell-csrf-token";
    /** The shell's policy as docs/host.md "Content-Security-Policy" states it. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
            + "require-trusted-types-for 'script'; trusted-types 'none'; report-uri /csp-reports";
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The guest's DOM as text: tags, attributes sorted by name, text nodes as they are (test instrumentation). */
    static final String SERIALIZE = """
            () => {
              const ser = (n) => {
                if (n.nodeType === 3) return n.textContent;
                const attrs = [...n.attributes].map((a) => a.name + '="' + a.value + '"').sort();
                return '<' + n.localName + (attrs.length ? ' ' + attrs.join(' ') : '') + '>' + [...n.childNodes].map(ser).join('')
                  + '</' + n.localName + '>';
              };
              return [...window.__shadow.lastElementChild.childNodes].map(ser).join('');
            }
            """;

    final TestChromium chromium;
    final BrowserContext context;
    final Page page;
    /** Frames the browser sent, on every socket, in order. */
    final List<JsonNode> received = new ArrayList<>();
    /** The URL of every WebSocket the page opened, in order. */
    final List<String> socketUrls = new ArrayList<>();
    /** Extra same-origin stylesheets the test serves (path and query → CSS), e.g. a page's compiled WXSS. */
    final Map<String, String> styles = new HashMap<>();
    final List<String> cspReports = new ArrayList<>();
    final List<String> dialogs = new ArrayList<>();
    /** Close codes the browser's side reported, per socket. */
    final List<Integer> closes = new ArrayList<>();
    /** Requests to the card endpoint (POST /shell/cards), answered by {@link #cards}. */
    final List<com.microsoft.playwright.Request> cardRequests = new ArrayList<>();
    /** The card endpoint's answer: the test plays the server (status and JSON body). */
    java.util.function.Function<com.microsoft.playwright.Request, Route.FulfillOptions> cards =
            request -> new Route.FulfillOptions().setStatus(503);
    /** When false, a new socket is closed at once (a node that refuses). */
    boolean accept = true;
    private WebSocketRoute socket;

    ShellBrowser() {
        this(new CatalogueEntry(MiniProgramId.of(APP), "Todo", "1.0.0", "Example Org", true), false, false);
    }

    ShellBrowser(CatalogueEntry entry, boolean dev, boolean demo) {
        String html = render(entry, "/shell/ws/" + entry.app().value(), demo, dev);
        chromium = TestChromium.launch();
        context = chromium.context(new Browser.NewContextOptions().setViewportSize(800, 900));
        context.route(ORIGIN + "/**", route -> serve(route, html));
        page = context.newPage();
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        page.routeWebSocket(Pattern.compile("wss://shell\\.test/shell/ws/.*"), ws -> {
            socketUrls.add(ws.url());
            ws.onMessage(frame -> received.add(JSON.readTree(frame.text())));
            ws.onClose((code, reason) -> closes.add(code));
            if (accept) {
                socket = ws;
            } else {
                ws.close(new WebSocketRoute.CloseOptions().setCode(1008).setReason("refused"));
            }
        });
    }

    /** app.html as C1's controller renders it (the same template, a standalone engine). */
    static String render(CatalogueEntry entry, String wsPath, boolean demo, boolean dev) {
        var resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        var engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        var context = new Context();
        context.setVariable("entry", entry);
        context.setVariable("wsPath", wsPath);
        context.setVariable("demo", demo);
        context.setVariable("dev", dev);
        context.setVariable("csrf", CSRF);
        return engine.process("shell/app", context);
    }

    private void serve(Route route, String html) {
        URI uri = URI.create(route.request().url());
        String path = uri.getPath();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (path.equals("/shell/apps/" + APP)) {
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/html; charset=utf-8")
                    .setHeaders(Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff")).setBody(html));
        } else if (path.equals("/shell/cards")) {
            cardRequests.add(route.request());
            route.fulfill(cards.apply(route.request()));
        } else if (path.equals("/csp-reports")) {
            cspReports.add(route.request().postData());
            route.fulfill(new Route.FulfillOptions().setStatus(204));
        } else if (styles.containsKey(pathAndQuery)) {
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/css").setBody(styles.get(pathAndQuery)));
        } else if (path.matches("/shell/[a-z]+\\.(js|css)")) {
            byte[] file = resource("static" + path);
            if (file == null) {
                route.fulfill(new Route.FulfillOptions().setStatus(404));
                return;
            }
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(path.endsWith(".js") ? "text/javascript" : "text/css")
                    .setHeaders(Map.of("X-Content-Type-Options", "nosniff")).setBodyBytes(file));
        } else {
            route.fulfill(new Route.FulfillOptions().setStatus(404));
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ShellBrowser.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the shell page and waits for its WebSocket. */
    ShellBrowser open() {
        page.navigate(ORIGIN + "/shell/apps/" + APP);
        page.waitForCondition(() -> socket != null);
        return this;
    }

    /** Sends {@code open} and a page: the usual start of a session. */
    ShellBrowser started(ObjectNode tree) {
        send(openFrame());
        send(pageFrame("pages/index/index", tree));
        waitFor("document.body.dataset.capsuleRoute === 'pages/index/index'");
        return this;
    }

    static ObjectNode openFrame() {
        ObjectNode open = JSON.createObjectNode().put("t", "open").put("session", SESSION).put("dev", false).put("demo", false);
        open.putObject("app").put("id", APP).put("name", "Todo").put("version", "1.0.0").put("developer", "Example Org").put("verified", true);
        return open;
    }

    static String cssUrl(String route) {
        return "/shell/s/" + SESSION + "/page.css?route=" + route.replace("/", "%2F");
    }

    static ObjectNode pageFrame(String route, ObjectNode tree) {
        ObjectNode page = JSON.createObjectNode().put("t", "page").put("route", route).put("css", cssUrl(route));
        page.set("tree", tree);
        page.putObject("chrome");
        page.put("canGoBack", false);
        return page;
    }

    static ObjectNode element(int id, String tag, String... classes) {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("tag", tag);
        node.putObject("attrs");
        var list = node.putArray("classes");
        for (String c : classes) {
            list.add(c);
        }
        node.putObject("style");
        node.putArray("children");
        return node;
    }

    static ObjectNode text(int id, String text) {
        return JSON.createObjectNode().put("id", id).put("text", text);
    }

    static ObjectNode with(ObjectNode parent, JsonNode... children) {
        for (JsonNode child : children) {
            ((ArrayNode) parent.get("children")).add(child);
        }
        return parent;
    }

    /** Sends one server frame on the current socket. */
    void send(JsonNode frame) {
        assertThat(socket).as("a socket is open").isNotNull();
        socket.send(JSON.writeValueAsString(frame));
    }

    /** Closes the current socket from the server's side. */
    void dropSocket() {
        WebSocketRoute old = socket;
        socket = null;
        old.close(new WebSocketRoute.CloseOptions().setCode(1001).setReason("node going away"));
    }

    void waitForSocket(int count) {
        page.waitForCondition(() -> socketUrls.size() >= count && socket != null);
    }

    /** Waits for the {@code n}-th frame (0-based) the browser sent and returns it. */
    JsonNode frame(int n) {
        page.waitForCondition(() -> received.size() > n);
        return received.get(n);
    }

    Object eval(String expression) {
        return page.evaluate(expression);
    }

    void waitFor(String condition) {
        page.waitForFunction("() => " + condition);
    }

    String guestDom() {
        return (String) page.evaluate(SERIALIZE);
    }

    /** The viewport rectangle of the first guest element matching {@code selector} inside the shadow root. */
    double[] guestRect(String selector) {
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) page.evaluate("(s) => { const b = window.__shadow.querySelector(s).getBoundingClientRect(); "
                + "return [b.x, b.y, b.width, b.height]; }", selector);
        return r.stream().mapToDouble(Number::doubleValue).toArray();
    }

    /** Clicks the centre of a guest element with the mouse (Playwright's locators do not enter closed shadow roots). */
    void clickGuest(String selector) {
        double[] r = guestRect(selector);
        page.mouse().click(r[0] + r[2] / 2, r[1] + r[3] / 2);
    }

    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        var all = new ArrayList<>(TestChromium.cspViolations(page));
        all.addAll(cspReports);
        return all;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        chromium.close();
    }
}
