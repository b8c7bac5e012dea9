package dev.capsule.server.host;

import static dev.capsule.server.host.ShellBrowser.JSON;
import static dev.capsule.server.host.ShellBrowser.element;
import static dev.capsule.server.host.ShellBrowser.pageFrame;
import static dev.capsule.server.host.ShellBrowser.text;
import static dev.capsule.server.host.ShellBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.XssCorpusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The view layer's XSS corpus ({@link XssCorpusTest#CORPUS}) plus browser-specific payloads, sent as a hostile
 * server would (anything the wire can carry, not only what the runtime's checks let through) into every place a
 * string reaches the shell: text nodes, attribute names and values, tag names, class names, style properties and
 * values, chrome titles and tab texts, icons, toasts, modal/action-sheet/consent/payment texts, refusals and the
 * ended reason. Nothing executes ({@code window.__pwned} stays unset, no dialog opens), no script-capable element
 * or handler attribute appears, and the page's CSP reports nothing: the host's own code never trips it.
 */
class ShellXssCorpusBrowserTest {
    /** Payloads that would set the canary if any sink interpreted them. */
    static final List<String> BROWSER = List.of(
            "<img src=x onerror=\"window.__pwned='img'\">", "javascript:window.__pwned='js'", "<svg><script>window.__pwned='svg'</script></svg>",
            "\"><script>window.__pwned='script'</script>", "<iframe srcdoc=\"<script>parent.__pwned='srcdoc'</script>\">",
            "url(javascript:window.__pwned='css')", "expression(window.__pwned='expr')", "</style><script>window.__pwned='style'</script>",
            "<x onfocus=\"window.__pwned='focus'\" autofocus tabindex=1>", "<details open ontoggle=\"window.__pwned='toggle'\">",
            "<input autofocus onfocus=\"window.__pwned='input'\">", "data:text/html,<script>parent.__pwned='data'</script>",
            "<a href=\"javascript:window.__pwned='a'\">x</a>", "<template><script>window.__pwned='tpl'</script></template>",
            "url(\"/shell/s/x/a.png\");}</style><script>window.__pwned='sheet'</script>", "\u2028window.__pwned='ls'\u2029",
            "<meta http-equiv=refresh content=\"0;url=javascript:window.__pwned='meta'\">", "<base href=\"javascript:/\">",
            "<form action=\"javascript:window.__pwned='form'\"><button>x</button></form>", "<object data=\"javascript:window.__pwned='obj'\">",
            "' onmouseover='window.__pwned=1' x='", "--><script>window.__pwned='comment'</script><!--");
    static final List<String> HOSTILE_TAGS = List.of("script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "svg",
            "math", "template", "frame", "frameset", "audio", "video", "portal", "slot");

    static List<String> payloads() {
        var all = new ArrayList<>(XssCorpusTest.CORPUS);
        all.addAll(BROWSER);
        return all;
    }

    /** One element carrying {@code evil} everywhere a wire element can carry a string. */
    static ObjectNode hostile(int id, String tag, String evil) {
        ObjectNode node = element(id, tag, "_capsule-view", evil, "ok-" + id);
        ObjectNode attrs = (ObjectNode) node.get("attrs");
        for (String name : List.of("id", "aria-label", "alt", "placeholder", "value", "for", "title", "onclick", "onerror", "href", "src",
                "srcdoc", "style", "action", "formaction", "xlink:href", "data", "poster", "srcset", "type", "role", "is")) {
            attrs.put(name, evil);
        }
        attrs.put(evil, "x");
        attrs.put("onload", "window.__pwned='onload'");
        ObjectNode style = (ObjectNode) node.get("style");
        style.put("color", evil).put("background", evil).put("background-image", "url(" + evil + ")").put(evil, "red")
                .put("--x", evil).put("behavior", "url(x.htc)").put("-moz-binding", "url(x)");
        return node;
    }

    @Test
    void theCorpusInEveryPlaceAStringReachesTheShellNeverExecutesAndTripsNoCsp() {
        List<String> payloads = payloads();
        try (var shell = new ShellBrowser().open()) {
            shell.send(ShellBrowser.openFrame());
            ObjectNode root = element(1, "div", "_capsule-page");
            int id = 10;
            for (String evil : payloads) {
                with(root, with(hostile(id, "div", evil), text(id + 1, evil)), with(hostile(id + 2, evil, evil), text(id + 3, "t")),
                        hostile(id + 4, "img", evil), hostile(id + 5, "input", evil));
                id += 10;
            }
            for (String tag : HOSTILE_TAGS) {
                with(root, with(hostile(id, tag, "javascript:window.__pwned='" + tag + "'"), text(id + 1, "<b>x</b>")));
                id += 10;
            }
            ObjectNode page = pageFrame("pages/index/index", root);
            page.put("css", "javascript:window.__pwned='css-url'");
            ObjectNode chrome = (ObjectNode) page.get("chrome");
            String first = payloads.getFirst();
            chrome.putObject("navigationBarTitle").put("0", first);
            chrome.putObject("navigationBarBackgroundColor").put("0", "red;background:url(javascript:window.__pwned=1)");
            chrome.putObject("tabBarItemText").put("0", first).put("1", "\"><img src=x onerror=\"window.__pwned='tab'\">");
            chrome.putObject("tabBarItemIcon").put("0", "javascript:window.__pwned='icon'").put("1", "https://evil.example/a.png");
            chrome.putObject("tabBarItemBadge").put("0", "<img src=x onerror=\"window.__pwned='badge'\">");
            chrome.putObject("<img src=x onerror=\"window.__pwned='field'\">").put("0", "x");
            shell.send(page);
            shell.waitFor("document.body.dataset.capsuleRoute === 'pages/index/index'");

            int prompt = 1;
            for (String evil : payloads) {
                ObjectNode ops = JSON.createObjectNode().put("t", "ops").put("route", "pages/index/index");
                ArrayNode list = ops.putArray("ops");
                ObjectNode replace = hostile(10, "span", evil).put("op", "el");
                replace.remove("children");
                list.add(replace);
                list.add(JSON.createObjectNode().put("op", "text").put("id", 11).put("text", evil));
                list.add(JSON.createObjectNode().put("op", "chrome").put("field", "navigationBarTitle").put("index", 0).put("value", evil));
                list.add(JSON.createObjectNode().put("op", "chrome").put("field", "tabBarItemText").put("index", 1).put("value", evil));
                shell.send(ops);
                ObjectNode toast = JSON.createObjectNode().put("t", "ui").put("kind", "showToast");
                toast.putObject("args").put("title", evil).put("icon", evil).put("duration", 50);
                shell.send(toast);
                shell.send(JSON.createObjectNode().put("t", "refused").put("message", evil));
                shell.send(JSON.createObjectNode().put("t", "dev").put("kind", "log").put("entry", evil));
                shell.send(ShellPromptsBrowserTest.prompt(prompt++, "modal").put("title", evil).put("content", evil)
                        .put("confirmText", evil).put("cancelText", evil));
                ObjectNode sheet = ShellPromptsBrowserTest.prompt(prompt++, "actionSheet");
                sheet.putArray("items").add(evil).add(evil);
                shell.send(sheet);
                shell.send(ShellPromptsBrowserTest.prompt(prompt++, "consent").put("scope", evil).put("purpose", evil));
                ObjectNode payment = ShellPromptsBrowserTest.prompt(prompt++, "payment");
                payment.putObject("request").put(evil, evil).put("amount", evil);
                shell.send(payment);
            }
            shell.waitFor("document.querySelectorAll('.capsule-sheet').length === " + (prompt - 1));
            assertThat(shell.page.textContent("#capsule-title")).isEqualTo(payloads.getLast());
            assertThat(shell.guestDom()).as("markup in text stays text").contains("&lt;script&gt;alert(1)&lt;/script&gt;", "<b>x</b>");
            assertThat(shell.eval("() => window.__shadow.querySelector('[aria-label]').getAttribute('aria-label')"))
                    .as("hostile strings do reach text attributes, as inert values").isEqualTo(payloads.getLast());
            assertThat(shell.eval("() => window.__shadow.querySelectorAll('input[placeholder]').length")).isEqualTo(payloads.size());
            assertClean(shell);
            // answer every prompt, then end: the ended reason is the last place a string reaches
            shell.page.evaluate("() => document.querySelectorAll('.capsule-sheet button').forEach((b) => b.click())");
            shell.send(JSON.createObjectNode().put("t", "ended").put("reason", "<img src=x onerror=\"window.__pwned='ended'\">"));
            shell.waitFor("document.body.dataset.capsuleState === 'ended'");
            shell.page.waitForTimeout(500);
            assertClean(shell);
            assertThat(shell.page.textContent(".capsule-sheet-ended")).contains("<img src=x onerror=");

            // the detector is live: a real inline style and an HTML sink are reported (so "none" above is not vacuous)
            shell.page.evaluate("() => document.body.setAttribute('style', 'color: red')");
            shell.page.evaluate("() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); } catch (e) { window.__sinkRefused = e.name; } }");
            shell.page.waitForCondition(() -> shell.cspViolations().size() >= 2);
            assertThat(shell.eval("() => window.__sinkRefused")).isEqualTo("TypeError");
        }
    }

    @SuppressWarnings("unchecked")
    static void assertClean(ShellBrowser shell) {
        assertThat(shell.eval("() => window.__pwned")).as("the canary").isNull();
        assertThat(shell.dialogs).isEmpty();
        var found = (Map<String, Object>) shell.page.evaluate("""
                () => {
                  const all = [...document.querySelectorAll('*'), ...window.__shadow.querySelectorAll('*')];
                  const bad = [];
                  const attrs = [];
                  for (const e of all) {
                    if (e.localName === 'script' && e.parentNode === document.head && e.getAttribute('src') === '/shell/shell.js'
                        && e.attributes.length === 2 && !e.textContent) continue;
                    if (['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'svg', 'math', 'template', 'base', 'form', 'style',
                         'portal', 'audio', 'video', 'slot'].includes(e.localName)) bad.push(e.localName);
                    for (const a of e.attributes) {
                      const v = a.value.toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
                      if (a.name.startsWith('on') || ['href', 'srcdoc', 'action', 'formaction', 'xlink:href', 'srcset', 'data', 'poster', 'is']
                            .includes(a.name) && !(['link', 'a'].includes(e.localName) && a.name === 'href' && /^\\/[a-z]/.test(v)
                            && (e.localName === 'link' || !window.__shadow.contains(e)))) attrs.push(e.localName + ' ' + a.name + '=' + v);
                      if (a.name === 'src' && !v.startsWith('/shell/')) attrs.push(e.localName + ' src=' + v);
                      if (v.includes('javascript:') && a.name !== 'aria-label' && a.name !== 'alt' && a.name !== 'placeholder'
                            && a.name !== 'value' && a.name !== 'id' && a.name !== 'for' && a.name !== 'style') attrs.push(e.localName + ' ' + a.name + '=' + v);
                      if (a.name === 'style' && (v.includes('url(') || v.includes('expression') || v.includes('binding') || v.includes('behavior')))
                        attrs.push(e.localName + ' style=' + v);
                    }
                  }
                  const links = [...document.querySelectorAll('link'), ...window.__shadow.querySelectorAll('link')].map((l) => l.getAttribute('href')).filter((h) => h !== null);
                  return {bad, attrs, links};
                }
                """);
        assertThat((List<String>) found.get("bad")).as("script-capable elements").isEmpty();
        assertThat((List<String>) found.get("attrs")).as("handler, URL or script attributes").isEmpty();
        assertThat((List<String>) found.get("links")).as("stylesheets").containsExactly("/shell/shell.css", "/shell/frame.css");
        assertThat(shell.cspViolations()).as("CSP violations from the host's own code").isEmpty();
    }
}
