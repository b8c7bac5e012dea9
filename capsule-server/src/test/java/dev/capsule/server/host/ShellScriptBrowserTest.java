package dev.capsule.server.host;

import static dev.capsule.server.host.ShellBrowser.JSON;
import static dev.capsule.server.host.ShellBrowser.SESSION;
import static dev.capsule.server.host.ShellBrowser.element;
import static dev.capsule.server.host.ShellBrowser.pageFrame;
import static dev.capsule.server.host.ShellBrowser.text;
import static dev.capsule.server.host.ShellBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.StorageLimits;
import dev.capsule.runtime.view.BrowserView;
import dev.capsule.server.host.internal.CatalogueEntry;
import dev.capsule.server.registry.MiniProgramId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * shell.js in Chromium against the wire protocol (docs/host.md "Wire protocol"), the test playing the server: a
 * page frame builds the guest's DOM inside a closed shadow root, every op patches it in place, the user's
 * interactions go back as events, the host's navigation and tab bars send {@code back}/{@code tab}, a dropped
 * connection resumes the session, and an ended or refused session says so and stops.
 */
class ShellScriptBrowserTest {
    static final String ASSET = "/shell/s/" + SESSION + "/assets/images/a.png";

    static ObjectNode ops(String route, JsonNode... ops) {
        ObjectNode frame = JSON.createObjectNode().put("t", "ops").put("route", route);
        ArrayNode list = frame.putArray("ops");
        for (JsonNode op : ops) {
            list.add(op);
        }
        return frame;
    }

    static ObjectNode el(int id, String tag, String... classes) {
        ObjectNode op = element(id, tag, classes).put("op", "el");
        op.remove("children");
        return op;
    }

    static ObjectNode textOp(int id, String text) {
        return text(id, text).put("op", "text");
    }

    static ObjectNode insert(int parent, int id, Integer before) {
        ObjectNode op = JSON.createObjectNode().put("op", "insert").put("parent", parent).put("id", id);
        return before == null ? op.putNull("before") : op.put("before", before);
    }

    static ObjectNode remove(int id) {
        return JSON.createObjectNode().put("op", "remove").put("id", id);
    }

    static ObjectNode chrome(String field, int index, String value) {
        ObjectNode op = JSON.createObjectNode().put("op", "chrome").put("field", field).put("index", index);
        return value == null ? op.putNull("value") : op.put("value", value);
    }

    static ObjectNode root() {
        return element(1, "div", "_capsule-page");
    }

    @Test
    void aPageFrameBuildsTheGuestTreeInAClosedShadowRootAndGuestIdsStayOutOfTheHostDocument() {
        try (var shell = new ShellBrowser().open()) {
            ObjectNode card = element(2, "div", "_capsule-view", "card");
            ((ObjectNode) card.get("attrs")).put("id", "capsule-title");
            ((ObjectNode) card.get("style")).put("color", "red").put("background-image", "url(\"" + ASSET + "\")")
                    .put("border-image", "url(\"" + ASSET + "\")");
            ObjectNode img = element(4, "img", "_capsule-image");
            ((ObjectNode) img.get("attrs")).put("src", ASSET).put("alt", "A picture");
            ObjectNode input = element(5, "input", "_capsule-input");
            ((ObjectNode) input.get("attrs")).put("value", "milk").put("placeholder", "What to do?");
            shell.started(with(root(), with(card, text(3, "Hello")), img, input));

            assertThat(shell.guestDom()).isEqualTo("<div class=\"_capsule-page\">"
                    + "<div class=\"_capsule-view card\" id=\"capsule-title\" style=\"color: red; background-image: url(\"" + ASSET + "\");\">Hello</div>"
                    + "<img alt=\"A picture\" class=\"_capsule-image\" src=\"" + ASSET + "\"></img>"
                    + "<input class=\"_capsule-input\" placeholder=\"What to do?\" type=\"text\" value=\"milk\"></input></div>");
            assertThat(shell.eval("() => window.__shadowMode")).isEqualTo("closed");
            assertThat(shell.eval("() => document.getElementById('capsule-frame').shadowRoot === null"))
                    .as("the page cannot reach the guest's tree").isEqualTo(true);
            assertThat(shell.eval("() => document.querySelectorAll('#capsule-title').length"))
                    .as("a guest id equal to a host id clobbers nothing").isEqualTo(1);
            assertThat(shell.eval("() => document.querySelector('.card')")).isNull();
            assertThat(shell.eval("() => window.__shadow.querySelector('link[rel=stylesheet]:last-of-type').getAttribute('href')"))
                    .isEqualTo("/shell/s/" + SESSION + "/page.css?route=pages%2Findex%2Findex");
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    @Test
    void everyOpPatchesTheGuestDomInPlaceAndABatchOfAnotherPageChangesNothing() {
        try (var shell = new ShellBrowser().open()) {
            ObjectNode view = element(2, "div", "_capsule-view", "old");
            ((ObjectNode) view.get("attrs")).put("aria-label", "before").put("hidden", "");
            ((ObjectNode) view.get("style")).put("margin-top", "1px");
            shell.started(with(root(), with(view, text(3, "a"))));

            ObjectNode replaced = el(2, "div", "_capsule-view", "new");
            ((ObjectNode) replaced.get("attrs")).put("aria-label", "after");
            ((ObjectNode) replaced.get("style")).put("padding-left", "4px");
            shell.send(ops("pages/index/index",
                    el(10, "span", "_capsule-text"), textOp(11, "new text"), insert(10, 11, null), insert(1, 10, 2),
                    replaced, textOp(3, "b"), chrome("navigationBarTitle", 0, "Title")));
            shell.waitFor("document.getElementById('capsule-title').textContent === 'Title'");
            assertThat(shell.guestDom()).isEqualTo("<div class=\"_capsule-page\"><span class=\"_capsule-text\">new text</span>"
                    + "<div aria-label=\"after\" class=\"_capsule-view new\" style=\"padding-left: 4px;\">b</div></div>");

            // move 2 before 10, then remove 10 with its text; an element whose tag changes keeps its children
            shell.send(ops("pages/index/index", insert(1, 2, 10), remove(10), el(2, "section", "_capsule-view")));
            shell.waitFor("!window.__shadow.querySelector('span')");
            assertThat(shell.guestDom()).isEqualTo("<div class=\"_capsule-page\"><section class=\"_capsule-view\">b</section></div>");

            shell.send(ops("pages/other/other", textOp(3, "stale"), chrome("navigationBarTitle", 0, "Other")));
            shell.send(ops("pages/index/index", chrome("navigationBarTitle", 0, null)));
            shell.waitFor("document.getElementById('capsule-title').textContent === ''");
            assertThat(shell.guestDom()).as("a batch of a page the browser no longer shows is not applied").contains(">b</section>");
            assertThat(shell.socketUrls).hasSize(1);
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    @Test
    void booleanAttributesComeAsNullAndATextareasTextIsItsLiveValue() {
        try (var shell = new ShellBrowser().open()) {
            ObjectNode area = element(5, "textarea", "_capsule-textarea");
            ObjectNode button = element(6, "button", "_capsule-button");
            ((ObjectNode) button.get("attrs")).putNull("disabled");
            ObjectNode hidden = element(7, "div", "_capsule-view");
            ((ObjectNode) hidden.get("attrs")).putNull("hidden").putNull("aria-label");
            ObjectNode icon = element(8, "i", "_capsule-icon");
            shell.started(with(root(), with(area, text(-5, "draft")), with(button, text(9, "Save")), hidden, with(icon, text(-8, "\u2714"))));
            assertThat(shell.guestDom()).isEqualTo("<div class=\"_capsule-page\"><textarea class=\"_capsule-textarea\">draft</textarea>"
                    + "<button class=\"_capsule-button\" disabled=\"\" type=\"button\">Save</button>"
                    + "<div class=\"_capsule-view\" hidden=\"\"></div><i class=\"_capsule-icon\">\u2714</i></div>");

            shell.clickGuest("textarea");
            shell.page.keyboard().press("End");
            shell.page.keyboard().type("!");
            shell.page.waitForCondition(() -> !events(shell, 5, "input").isEmpty()
                    && events(shell, 5, "input").getLast().path("detail").path("value").asString().equals("draft!"));
            shell.send(ops("pages/index/index", textOp(-5, "saved")));
            shell.waitFor("window.__shadow.querySelector('textarea').value === 'saved'");
            assertThat(shell.socketUrls).as("negative ids are the wire's, not a protocol error").hasSize(1);
        }
    }

    @Test
    void anOpOnAnUnknownNodeResumesTheSessionToGetTheWholePageAgain() {
        try (var shell = new ShellBrowser().open()) {
            shell.started(with(root(), text(2, "x")));
            shell.send(ops("pages/index/index", insert(1, 99, null)));
            shell.waitForSocket(2);
            assertThat(shell.socketUrls.get(1)).endsWith("/shell/ws/" + ShellBrowser.APP + "?resume=" + SESSION);
            shell.send(ShellBrowser.openFrame());
            shell.send(pageFrame("pages/index/index", with(root(), text(2, "again"))));
            shell.waitFor("document.body.dataset.capsuleState === 'open'");
            assertThat(shell.guestDom()).isEqualTo("<div class=\"_capsule-page\">again</div>");
        }
    }

    @Test
    void tapsInputsConfirmsFocusAndToggleChangesGoToTheSessionAsEvents() {
        try (var shell = new ShellBrowser().open()) {
            ObjectNode button = element(2, "button", "_capsule-button");
            ObjectNode input = element(4, "input", "_capsule-input");
            ObjectNode toggle = element(5, "span", "_capsule-switch");
            ((ObjectNode) toggle.get("attrs")).put("role", "switch").put("aria-checked", "false");
            ObjectNode group = element(6, "div", "_capsule-checkbox-group");
            ObjectNode a = element(7, "span", "_capsule-checkbox");
            ((ObjectNode) a.get("attrs")).put("role", "checkbox").put("aria-checked", "true").put("value", "a");
            ObjectNode b = element(8, "span", "_capsule-checkbox");
            ((ObjectNode) b.get("attrs")).put("role", "checkbox").put("aria-checked", "false").put("value", "b");
            ObjectNode disabled = element(9, "span", "_capsule-switch");
            ((ObjectNode) disabled.get("attrs")).put("role", "switch").put("aria-checked", "false").put("aria-disabled", "true");
            shell.started(with(root(), with(button, text(3, "Add")), input, toggle, with(group, a, b), disabled));

            shell.clickGuest("button");
            JsonNode tap = shell.frame(0);
            assertThat(tap.path("t").asString()).isEqualTo("event");
            assertThat(tap.path("node").asInt()).isEqualTo(2);
            assertThat(tap.path("type").asString()).isEqualTo("tap");
            assertThat(tap.path("detail").has("x")).isTrue();

            shell.clickGuest("input");
            shell.page.keyboard().type("milk");
            shell.page.keyboard().press("Enter");
            shell.clickGuest("._capsule-switch");
            shell.clickGuest("._capsule-checkbox:nth-child(2)");
            shell.clickGuest("._capsule-switch[aria-disabled]");
            shell.page.waitForCondition(() -> events(shell, 9, "tap").size() == 1);

            List<JsonNode> inputs = events(shell, 4, "input");
            assertThat(inputs).isNotEmpty();
            assertThat(inputs.getLast().path("detail").path("value").asString()).isEqualTo("milk");
            assertThat(inputs.getLast().path("detail").path("cursor").asInt()).isEqualTo(4);
            assertThat(events(shell, 4, "focus")).hasSize(1);
            JsonNode confirm = events(shell, 4, "confirm").getFirst();
            assertThat(confirm.path("detail").path("value").asString()).isEqualTo("milk");
            assertThat(shell.received.indexOf(inputs.getLast())).as("the latest input goes before the confirm")
                    .isLessThan(shell.received.indexOf(confirm));
            assertThat(events(shell, 4, "blur")).hasSize(1);
            assertThat(events(shell, 5, "change").getFirst().path("detail").path("value").asBoolean()).isTrue();
            assertThat(events(shell, 6, "change").getFirst().path("detail").path("value").toString()).isEqualTo("[\"a\",\"b\"]");
            assertThat(events(shell, 9, "change")).as("a disabled switch does not change").isEmpty();
            assertThat(shell.eval("() => window.__shadow.querySelector('._capsule-switch').getAttribute('aria-checked')")).isEqualTo("true");
        }
    }

    @Test
    void radiosSlidersAndPickersReportTheChoiceOnTheComponentThatEmitsIt() {
        try (var shell = new ShellBrowser().open()) {
            ObjectNode group = element(2, "div", "_capsule-radio-group");
            ObjectNode x = element(3, "span", "_capsule-radio");
            ((ObjectNode) x.get("attrs")).put("role", "radio").put("aria-checked", "true").put("value", "x");
            ObjectNode y = element(4, "span", "_capsule-radio");
            ((ObjectNode) y.get("attrs")).put("role", "radio").put("aria-checked", "false").put("value", "y");
            ObjectNode slider = element(5, "input", "_capsule-slider");
            ((ObjectNode) slider.get("attrs")).put("type", "range").put("min", "0").put("max", "100").put("step", "1").put("value", "10");
            ObjectNode selector = element(6, "div", "_capsule-picker");
            ((ObjectNode) selector.get("attrs")).put("mode", "selector").put("range", "[\"Low\",\"High\"]");
            ObjectNode date = element(8, "div", "_capsule-picker");
            ((ObjectNode) date.get("attrs")).put("mode", "date").put("value", "2026-12-07");
            shell.started(with(root(), with(group, x, y), slider, with(selector, text(7, "Priority")), with(date, text(9, "Due"))));

            shell.clickGuest("._capsule-radio:nth-child(2)");
            shell.clickGuest("._capsule-radio:nth-child(2)");
            shell.clickGuest("._capsule-slider");
            shell.page.keyboard().press("End");
            shell.clickGuest("._capsule-picker");
            shell.page.click(".capsule-sheet-picker .capsule-item >> text=High");
            shell.clickGuest("._capsule-picker:last-child");
            shell.page.click(".capsule-sheet-picker .capsule-confirm");
            shell.clickGuest("._capsule-picker:last-child");
            shell.page.click(".capsule-sheet-picker .capsule-cancel");
            shell.page.waitForCondition(() -> events(shell, 8, "cancel").size() == 1);

            assertThat(events(shell, 2, "change")).as("choosing the checked radio again changes nothing").hasSize(1);
            assertThat(events(shell, 2, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":\"y\"}");
            assertThat(events(shell, 5, "change").getLast().path("detail").toString()).isEqualTo("{\"value\":100}");
            assertThat(events(shell, 6, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":1}");
            assertThat(events(shell, 8, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":\"2026-12-07\"}");
            assertThat(events(shell, 8, "change")).hasSize(1);

            shell.clickGuest("._capsule-picker");
            shell.page.waitForSelector(".capsule-sheet-picker");
            shell.send(pageFrame("pages/next/next", with(root(), text(2, "next"))));
            shell.waitFor("document.body.dataset.capsuleRoute === 'pages/next/next'");
            assertThat(shell.page.querySelector(".capsule-sheet-picker")).as("a picker closes with its page").isNull();
        }
    }

    /**
     * The live controls as a real page draws them: a mini-program's page runs in an in-process session, the real
     * {@link BrowserView} projects it, and shell.js applies that frame; the group and picker events then carry the
     * values the page wrote (the checked boxes' values, the chosen radio's, the picked item's index and date).
     */
    @Test
    void aRealPagesCheckboxesRadiosAndPickersProjectedByBrowserViewReportTheirValues(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("capsule.json"), """
                {"id": "com.example.controls", "version": "1.0.0", "name": "Controls", "developer": {"id": "example", "name": "Example Ltd"},
                 "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []}, "privacy": [], "dependencies": []}
                """);
        Files.writeString(dir.resolve("app.json"), "{\"pages\": [\"pages/index/index\"]}");
        Files.writeString(dir.resolve("app.js"), "App({});\n");
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"), """
                Page({ data: { levels: [{name: 'Low'}, {name: 'High'}], due: '2026-12-07' } });
                """);
        Files.writeString(dir.resolve("pages/index/index.wxml"), """
                <checkbox-group id="colors"><checkbox value="red" checked />red<checkbox value="green" />green</checkbox-group>
                <radio-group id="size"><radio value="s" checked />small<radio value="l" />large</radio-group>
                <picker id="level" mode="selector" range="{{levels}}" range-key="name"><text>Priority</text></picker>
                <picker id="due" mode="date" value="{{due}}"><text>Due</text></picker>
                """);
        CapsulePackage pkg = PackageReader.read(MiniProgramBuild.build(dir, PackageLimits.DEFAULTS).archive());
        BrowserView view = new BrowserView(path -> Optional.of("/shell/s/" + SESSION + "/assets/" + path), ShellBrowser::cssUrl);
        JsonNode frame;
        try (var runtime = new CapsuleRuntime(Isolation.IN_PROCESS, RuntimeLimits.DEFAULTS, HostServices.defaults(),
                EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS), GuardedHttpClient.create(), WorkerLimits.DEFAULTS);
             MiniProgramSession session = runtime.launchUnverified(pkg, "user", event -> { })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String page = "";
            while (!page.contains("2026-12-07") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                page = session.shownPage().map(view::page).orElse("");
            }
            frame = JSON.readTree(page);
        }
        assertThat(frame.path("t").asString()).as("the page is drawn").isEqualTo("page");
        int colors = idOf(frame.get("tree"), "colors");
        int size = idOf(frame.get("tree"), "size");
        int level = idOf(frame.get("tree"), "level");
        int due = idOf(frame.get("tree"), "due");

        try (var shell = new ShellBrowser().open()) {
            shell.send(ShellBrowser.openFrame());
            shell.send(frame);
            shell.waitFor("document.body.dataset.capsuleRoute === 'pages/index/index'");

            shell.clickGuest("._capsule-checkbox:not([aria-checked=\"true\"])");
            shell.clickGuest("._capsule-radio:not([aria-checked=\"true\"])");
            shell.clickGuest("#level");
            shell.page.click(".capsule-sheet-picker .capsule-item >> text=High");
            shell.clickGuest("#due");
            assertThat(shell.page.inputValue(".capsule-sheet-picker .capsule-picker-input")).isEqualTo("2026-12-07");
            shell.page.click(".capsule-sheet-picker .capsule-confirm");
            shell.page.waitForCondition(() -> events(shell, due, "change").size() == 1);

            assertThat(events(shell, colors, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":[\"red\",\"green\"]}");
            assertThat(events(shell, size, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":\"l\"}");
            assertThat(events(shell, level, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":1}");
            assertThat(events(shell, due, "change").getFirst().path("detail").toString()).isEqualTo("{\"value\":\"2026-12-07\"}");
        }
    }

    /** The wire id of the element the page gave {@code id}. */
    static int idOf(JsonNode node, String id) {
        if (id.equals(node.path("attrs").path("id").asString(""))) {
            return node.get("id").asInt();
        }
        for (JsonNode child : node.path("children")) {
            int found = idOf(child, id);
            if (found != 0) {
                return found;
            }
        }
        return 0;
    }

    static List<JsonNode> events(ShellBrowser shell, int node, String type) {
        return shell.received.stream().filter(f -> f.path("t").asString().equals("event") && f.path("node").asInt() == node
                && f.path("type").asString().equals(type)).toList();
    }

    @Test
    void theHostNavigationAndTabBarsSendBackAndTabAndShowTheChromeFields() {
        try (var shell = new ShellBrowser().open()) {
            shell.started(with(root(), text(2, "home")));
            assertThat(shell.page.isVisible("#capsule-back")).as("no back arrow on the first page").isFalse();
            assertThat(shell.page.isVisible("#capsule-tabbar")).as("no tab bar without items").isFalse();

            ObjectNode page = pageFrame("pages/list/list", with(root(), text(2, "list")));
            page.put("canGoBack", true);
            ObjectNode chrome = (ObjectNode) page.get("chrome");
            chrome.putObject("navigationBarTitle").put("0", "Lists");
            chrome.putObject("navigationBarBackgroundColor").put("0", "#123456");
            chrome.putObject("tabBarItemText").put("0", "Home").put("1", "Me");
            chrome.putObject("tabBarItemIcon").put("1", ASSET);
            chrome.putObject("tabBarItemBadge").put("1", "3");
            chrome.putObject("tabBarSelected").put("0", "1");
            shell.send(page);
            shell.waitFor("document.body.dataset.capsuleRoute === 'pages/list/list'");
            assertThat(shell.page.textContent("#capsule-title")).isEqualTo("Lists");
            assertThat(shell.eval("() => getComputedStyle(document.getElementById('capsule-titlebar')).backgroundColor"))
                    .isEqualTo("rgb(18, 52, 86)");
            assertThat(shell.page.locator("#capsule-tabbar .capsule-tab").allTextContents()).containsExactly("Home", "Me3");
            assertThat(shell.page.getAttribute("#capsule-tabbar .capsule-tab-selected img", "src")).isEqualTo(ASSET);

            shell.page.click("#capsule-back");
            shell.page.click("#capsule-tabbar .capsule-tab >> nth=0");
            assertThat(shell.frame(0).toString()).isEqualTo("{\"t\":\"back\"}");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"tab\",\"index\":0}");

            shell.send(ops("pages/list/list", chrome("navigationBarHidden", 0, "true"), chrome("tabBarVisible", 0, "false")));
            shell.waitFor("document.getElementById('capsule-titlebar').hidden");
            assertThat(shell.page.isVisible("#capsule-tabbar")).isFalse();
            assertThat(shell.page.isVisible("#capsule-identity")).as("the identity strip stays when the page hides its bar").isTrue();
            assertThat(shell.page.textContent("#capsule-app-name")).isEqualTo("Todo");
            assertThat(shell.page.textContent("#capsule-badge")).isEqualTo("Verified");
            ObjectNode tall = element(3, "div", "_capsule-view");
            ((ObjectNode) tall.get("style")).put("height", "3000px");
            shell.send(ops("pages/list/list", el(3, "div", "_capsule-view"), insert(1, 3, null)));
            shell.send(ops("pages/list/list", tall.put("op", "el"), chrome("pageScrollTop", 0, "200")));
            shell.waitFor("window.__shadow.lastElementChild.scrollTop === 200");
        }
    }

    @Test
    void demoUsersAndPreviewsAreSaidOnThePageAndAnUnverifiedDeveloperIsMarked() {
        var entry = new CatalogueEntry(MiniProgramId.of(ShellBrowser.APP), "Todo", "1.0.0", "Someone", false);
        try (var shell = new ShellBrowser(entry, true, true).open()) {
            assertThat(shell.page.textContent("#demo-banner").strip()).isEqualTo("Development mode: demo users. Nothing here is a real account.");
            assertThat(shell.page.textContent("#capsule-preview-badge")).isEqualTo("Preview");
            assertThat(shell.page.textContent("#capsule-badge")).isEqualTo("Unverified");
            assertThat(shell.page.getAttribute("body", "data-ws-path")).isEqualTo("/shell/ws/" + ShellBrowser.APP);
        }
        try (var shell = new ShellBrowser().open()) {
            assertThat(shell.page.querySelector("#demo-banner")).isNull();
            assertThat(shell.page.querySelector("#capsule-preview-badge")).isNull();
            assertThat(shell.page.textContent("#capsule-badge")).isEqualTo("Verified");

        }
    }

    @Test
    void toastsAndLoadingAreDrawnByTheHostOutsideTheFrame() {
        try (var shell = new ShellBrowser().open()) {
            shell.started(with(root(), text(2, "x")));
            ObjectNode toast = JSON.createObjectNode().put("t", "ui").put("kind", "showToast");
            toast.putObject("args").put("title", "Saved").put("icon", "success");
            shell.send(toast);
            ObjectNode loading = JSON.createObjectNode().put("t", "ui").put("kind", "showLoading");
            loading.putObject("args").put("title", "Loading todos");
            shell.send(loading);
            shell.waitFor("document.querySelectorAll('#capsule-toasts .capsule-toast').length === 2");
            assertThat(shell.page.locator("#capsule-toasts").textContent()).contains("Saved", "Loading todos");
            shell.send(JSON.createObjectNode().put("t", "ui").put("kind", "hideLoading"));
            shell.waitFor("!document.querySelector('.capsule-toast-loading')");
            shell.waitFor("document.querySelectorAll('#capsule-toasts .capsule-toast').length === 0");
        }
    }

    @Test
    void aDroppedConnectionResumesTheSessionAndAnEndedSessionSaysSoAndStops() {
        try (var shell = new ShellBrowser().open()) {
            shell.started(with(root(), text(2, "x")));
            assertThat(shell.socketUrls.getFirst()).endsWith("/shell/ws/" + ShellBrowser.APP);
            shell.dropSocket();
            shell.waitForSocket(2);
            assertThat(shell.socketUrls.get(1)).endsWith("?resume=" + SESSION);
            shell.send(ShellBrowser.openFrame());
            shell.send(pageFrame("pages/index/index", with(root(), text(2, "resumed"))));
            shell.waitFor("document.body.dataset.capsuleState === 'open'");
            assertThat(shell.guestDom()).contains("resumed");

            shell.send(JSON.createObjectNode().put("t", "ended").put("reason", "idle for 300 seconds"));
            shell.dropSocket();
            shell.waitFor("document.body.dataset.capsuleState === 'ended'");
            assertThat(shell.page.textContent("#capsule-status")).contains("ended", "idle for 300 seconds");
            assertThat(shell.page.isVisible(".capsule-sheet-ended")).isTrue();
            shell.page.waitForTimeout(1500);
            assertThat(shell.socketUrls).as("an ended session is not resumed").hasSize(2);

            shell.page.click(".capsule-sheet-ended .capsule-confirm");
            shell.waitForSocket(3);
            assertThat(shell.socketUrls.get(2)).as("opening again starts a new session").doesNotContain("resume");
        }
    }

    @Test
    void aReloadReconnectsWithoutResumeAndARefusedConnectionIsNotRetried() {
        try (var shell = new ShellBrowser().open()) {
            shell.started(with(root(), text(2, "x")));
            shell.send(JSON.createObjectNode().put("t", "reload").put("reason", "rebuilt"));
            shell.waitForSocket(2);
            assertThat(shell.socketUrls.get(1)).doesNotContain("resume");

            shell.accept = false;
            shell.dropSocket();
            shell.page.waitForCondition(() -> shell.socketUrls.size() == 3);
            shell.waitFor("document.body.dataset.capsuleState === 'ended'");
            assertThat(shell.page.textContent("#capsule-status")).contains("refused");
            shell.page.waitForTimeout(1500);
            assertThat(shell.socketUrls).hasSize(3);
        }
    }
}
