package dev.capsule.runtime.view;

import static dev.capsule.runtime.view.Views.apply;
import static dev.capsule.runtime.view.Views.element;
import static dev.capsule.runtime.view.Views.id;
import static dev.capsule.runtime.view.Views.ops;
import static dev.capsule.runtime.view.Views.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host shell's wire from the host's checked trees: the whole page, then the difference as ops that a browser
 * applying them exactly ends with the same page; HtmlRenderer's element mapping with the shell's differences
 * (live controls, same-origin asset URLs, no remote images, no guest data-*); hostile text as data only.
 */
class BrowserViewTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SID = "0123456789abcdef0123456789abcdef";

    private static BrowserView browser() {
        return new BrowserView(path -> Optional.of("/shell/s/" + SID + "/assets/" + path), route -> "/shell/s/" + SID + "/page.css?route=" + route);
    }

    private static ShownPage shown(ViewTree tree, int page, boolean canGoBack) {
        return new ShownPage(page, "pages/index/index", tree.snapshot(), canGoBack);
    }

    private static JsonNode parse(String frame) {
        return JSON.readTree(frame);
    }

    @Test
    void thePageFrameCarriesTheProjectedTreeTheChromeTheSheetAndTheBackArrow() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "view", 1), text(3, "Hello", 2)));
        apply(tree, new ViewOp.SetClass(id(2), List.of("row")), new ViewOp.SetStyle(id(2), "width", "375rpx"),
                new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "Home"), new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 1, "Me"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_ICON, 1, "/icons/me.png"));

        JsonNode frame = parse(browser().page(shown(tree, 7, true)));

        assertThat(frame.get("t").stringValue()).isEqualTo("page");
        assertThat(frame.get("route").stringValue()).isEqualTo("pages/index/index");
        assertThat(frame.get("css").stringValue()).isEqualTo("/shell/s/" + SID + "/page.css?route=pages/index/index");
        assertThat(frame.get("canGoBack").booleanValue()).isTrue();
        JsonNode root = frame.get("tree");
        assertThat(root.get("id").intValue()).isEqualTo(1);
        assertThat(root.get("tag").stringValue()).isEqualTo("div");
        assertThat(root.get("classes")).containsExactly(JsonNodeFactory.instance.stringNode("_capsule-page"));
        JsonNode row = root.get("children").get(0);
        assertThat(row.get("id").intValue()).isEqualTo(2);
        assertThat(row.get("classes").toString()).isEqualTo("[\"_capsule-view\",\"row\"]");
        assertThat(row.get("style").toString()).isEqualTo("{\"width\":\"calc(375 * var(--rpx))\"}");
        assertThat(row.get("children").get(0).toString()).isEqualTo("{\"id\":3,\"text\":\"Hello\"}");
        assertThat(frame.get("chrome").toString()).isEqualTo("{\"navigationBarTitle\":{\"0\":\"Home\"},"
                + "\"tabBarItemText\":{\"1\":\"Me\"},\"tabBarItemIcon\":{\"1\":\"/shell/s/" + SID + "/assets/icons/me.png\"}}");
    }

    @Test
    void theShellUsesTheRenderersMappingWithLiveControlsSameOriginAssetsAndNoDataset() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "input", 1), element(3, "textarea", 1), element(4, "image", 1), element(5, "image", 1),
                element(6, "view", 1), element(7, "icon", 1), element(8, "button", 1), element(9, "switch", 1)));
        apply(tree, new ViewOp.SetAttribute(id(2), "password", "true"), new ViewOp.SetAttribute(id(2), "value", "v"),
                new ViewOp.SetAttribute(id(3), "value", "typed"), new ViewOp.SetAttribute(id(4), "src", "/images/a.png"),
                new ViewOp.SetAttribute(id(4), "mode", "aspectFill"), new ViewOp.SetAttribute(id(5), "src", "https://img.example.com/b.png"),
                new ViewOp.SetStyle(id(6), "background-image", "url('/images/a.png')"), new ViewOp.SetDataset(id(6), "itemId", "7"),
                new ViewOp.SetAttribute(id(6), "id", "v6"), new ViewOp.SetAttribute(id(7), "type", "success"),
                new ViewOp.SetAttribute(id(8), "disabled", "true"), new ViewOp.SetAttribute(id(9), "checked", "true"));
        JsonNode root = parse(browser().page(shown(tree, 1, false))).get("tree");
        Map<Integer, JsonNode> byId = new HashMap<>();
        collect(root, byId);

        // The same element names, classes and attributes as the static document, but for the shell's differences.
        Document doc = Jsoup.parse(HtmlRenderer.render(tree, "", AssetSource.of(Map.of("images/a.png", new byte[] {1}))));
        assertThat(byId.get(2).get("tag").stringValue()).isEqualTo(doc.select("input._capsule-input").first().tagName());
        assertThat(byId.get(2).get("attrs").toString()).isEqualTo("{\"type\":\"password\",\"value\":\"v\"}");
        assertThat(doc.select("input._capsule-input").hasAttr("readonly")).isTrue();
        assertThat(byId.get(3).get("attrs").toString()).isEqualTo("{}");
        assertThat(byId.get(3).get("children").toString()).isEqualTo("[{\"id\":-3,\"text\":\"typed\"}]");
        assertThat(byId.get(4).get("attrs").get("src").stringValue()).isEqualTo("/shell/s/" + SID + "/assets/images/a.png");
        assertThat(byId.get(4).get("style").get("object-fit").stringValue()).isEqualTo("cover");
        assertThat(byId.get(5).get("attrs").has("src")).as("remote images are dropped").isFalse();
        assertThat(byId.get(6).get("style").get("background-image").stringValue())
                .isEqualTo("url(\"/shell/s/" + SID + "/assets/images/a.png\")");
        assertThat(byId.get(6).get("attrs").toString()).isEqualTo("{\"id\":\"v6\"}");
        assertThat(doc.getElementById("v6").attr("data-item-id")).isEqualTo("7");
        assertThat(byId.get(7).get("children").toString()).isEqualTo("[{\"id\":-7,\"text\":\"\u2714\"}]");
        assertThat(byId.get(8).get("attrs").toString()).isEqualTo("{\"type\":\"button\",\"disabled\":\"\"}");
        assertThat(byId.get(9).get("attrs").toString()).isEqualTo("{\"role\":\"switch\",\"aria-checked\":\"true\",\"aria-disabled\":\"false\"}");
        for (int i = 2; i <= 9; i++) {
            assertThat(byId.get(i).get("tag").stringValue()).isEqualTo(doc.select("main ._capsule-page > *").get(i - 2).tagName());
        }
    }

    @Test
    void liveCheckboxesRadiosAndPickersCarryTheValuesAndPickerDataTheShellReadsAndTheStaticDocumentDoesNot() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "checkbox-group", 1), element(3, "checkbox", 2), element(4, "radio-group", 1), element(5, "radio", 4),
                element(6, "picker", 1), element(7, "picker", 1), element(8, "picker", 1), element(9, "switch", 1), element(10, "checkbox", 2)));
        apply(tree, new ViewOp.SetAttribute(id(3), "value", "red"), new ViewOp.SetAttribute(id(3), "checked", "true"),
                new ViewOp.SetAttribute(id(5), "value", "s"), new ViewOp.SetAttribute(id(6), "mode", "selector"),
                new ViewOp.SetAttribute(id(6), "range", "[{\"name\":\"Low\"},{\"name\":\"High\"}]"),
                new ViewOp.SetAttribute(id(6), "range-key", "name"), new ViewOp.SetAttribute(id(6), "value", "1"),
                new ViewOp.SetAttribute(id(7), "mode", "date"), new ViewOp.SetAttribute(id(7), "value", "\"2026-12-07\""),
                new ViewOp.SetAttribute(id(7), "disabled", "true"), new ViewOp.SetAttribute(id(9), "checked", "true"));
        Map<Integer, JsonNode> byId = new HashMap<>();
        collect(parse(browser().page(shown(tree, 1, false))).get("tree"), byId);

        assertThat(byId.get(3).get("attrs").toString())
                .isEqualTo("{\"role\":\"checkbox\",\"aria-checked\":\"true\",\"aria-disabled\":\"false\",\"value\":\"red\"}");
        assertThat(byId.get(5).get("attrs").get("value").stringValue()).isEqualTo("s");
        assertThat(byId.get(10).get("attrs").has("value")).as("a checkbox without a value writes none").isFalse();
        assertThat(byId.get(9).get("attrs").has("value")).as("a switch reports its checked state, not a value").isFalse();
        assertThat(byId.get(6).get("attrs").toString()).isEqualTo("{\"mode\":\"selector\",\"range\":\"[{\\\"name\\\":\\\"Low\\\"},"
                + "{\\\"name\\\":\\\"High\\\"}]\",\"range-key\":\"name\",\"value\":\"1\"}");
        assertThat(byId.get(7).get("attrs").toString()).as("a date picker's JSON string value is the plain date the shell shows")
                .isEqualTo("{\"disabled\":\"\",\"mode\":\"date\",\"value\":\"2026-12-07\"}");
        assertThat(byId.get(8).get("attrs").toString()).as("a picker without data writes none").isEqualTo("{}");

        // The static document stays as it was: no values on boxes, no picker data.
        Document doc = Jsoup.parse(HtmlRenderer.render(tree, "", AssetSource.of(Map.of())));
        assertThat(doc.select("._capsule-checkbox, ._capsule-radio").eachAttr("value")).isEmpty();
        assertThat(doc.select("._capsule-picker").first().attributes().size()).isEqualTo(1);
        assertThat(doc.select("[mode], [range], [range-key]")).isEmpty();
    }

    @Test
    void anAssetAnswerThatIsNotASameOriginPathIsNeverWritten() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "image", 1), element(3, "view", 1)));
        apply(tree, new ViewOp.SetAttribute(id(2), "src", "/images/a.png"), new ViewOp.SetStyle(id(3), "background-image", "url('/images/a.png')"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_ICON, 0, "/images/a.png"));
        for (String answer : List.of("https://evil.example/a.png", "//evil.example/a.png", "javascript:alert(1)", "/a\"b", "/a')b", "/a b",
                "data:image/png;base64,AAAA", "\\\\evil.example/a.png", "/ok\u2028")) {
            var browser = new BrowserView(path -> Optional.of(answer), route -> "/css");
            JsonNode frame = parse(browser.page(shown(tree, 1, false)));
            JsonNode children = frame.get("tree").get("children");
            assertThat(children.get(0).get("attrs").has("src")).as(answer).isFalse();
            assertThat(children.get(1).get("style").get("background-image").stringValue()).as(answer).isEqualTo("none");
            assertThat(frame.get("chrome").has("tabBarItemIcon")).as(answer).isFalse();
        }
        var good = new BrowserView(path -> Optional.of("/shell/s/x/assets/" + path), route -> "/css");
        assertThat(parse(good.page(shown(tree, 1, false))).get("tree").get("children").get(0).get("attrs").get("src").stringValue())
                .isEqualTo("/shell/s/x/assets/images/a.png");
    }

    @Test
    void updateSendsNothingWithoutAChangeOrAPageAndAWholePageAfterANavigation() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "view", 1)));
        BrowserView browser = browser();
        assertThat(browser.update(Optional.empty())).isEmpty();
        assertThat(parse(browser.update(Optional.of(shown(tree, 4, false))).orElseThrow()).get("t").stringValue()).isEqualTo("page");
        assertThat(browser.update(Optional.of(shown(tree, 4, false)))).isEmpty();
        apply(tree, new ViewOp.SetClass(id(2), List.of("a")));
        assertThat(parse(browser.update(Optional.of(shown(tree, 4, false))).orElseThrow()).toString())
                .isEqualTo("{\"t\":\"ops\",\"route\":\"pages/index/index\",\"ops\":[{\"op\":\"el\",\"id\":2,\"tag\":\"div\",\"attrs\":{},"
                        + "\"classes\":[\"_capsule-view\",\"a\"],\"style\":{}}]}");
        assertThat(parse(browser.update(Optional.of(shown(tree, 5, true))).orElseThrow()).get("t").stringValue())
                .as("another page").isEqualTo("page");
        assertThat(parse(browser.update(Optional.of(shown(tree, 5, false))).orElseThrow()).get("t").stringValue())
                .as("the back arrow changed").isEqualTo("page");
        assertThat(browser.update(Optional.empty())).isEmpty();
    }

    @Test
    void anIdThatNamesAnElementOfAnotherTagSendsTheWholePage() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "view", 1)));
        BrowserView browser = browser();
        browser.page(shown(tree, 1, false));
        apply(tree, new ViewOp.Remove(id(2)), new ViewOp.CreateElement(id(2), "text"), new ViewOp.Insert(id(1), id(2), null));
        JsonNode frame = parse(browser.update(Optional.of(shown(tree, 1, false))).orElseThrow());
        assertThat(frame.get("t").stringValue()).isEqualTo("page");
        assertThat(frame.get("tree").get("children").get(0).get("tag").stringValue()).isEqualTo("span");
    }

    @Test
    void aBrowserApplyingEveryOpsFrameEndsWithExactlyThePageOfTheTree() {
        var seen = new java.util.TreeMap<String, Integer>();
        for (int seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            ViewTree tree = Views.tree();
            BrowserView browser = browser();
            Model model = new Model(parse(browser.page(shown(tree, 1, false))));
            int next = 2;
            for (int round = 0; round < 30; round++) {
                List<Integer> attached = attached(tree);
                List<ViewOp> batch = new ArrayList<>();
                for (int k = random.nextInt(4) + 1; k > 0; k--) {
                    next = randomOps(random, tree, attached, next, batch);
                }
                try {
                    tree.apply(new ViewBatch(tree.version() + 1, batch));
                } catch (ViewOpException refused) {
                    continue; // a batch the tree refuses changes nothing; the browser gets nothing either
                }
                if (random.nextInt(3) == 0) {
                    continue; // several batches coalesce into the next frame
                }
                browser.update(Optional.of(shown(tree, 1, false))).ifPresent(frame -> {
                    JsonNode parsed = parse(frame);
                    parsed.path("ops").forEach(op -> seen.merge(op.get("op").stringValue(), 1, Integer::sum));
                    model.apply(parsed);
                });
                JsonNode expected = parse(browser().page(shown(tree, 1, false)));
                assertThat(model.page()).as("seed %d round %d", seed, round).isEqualTo(expected.get("tree"));
                assertThat(model.chrome).as("seed %d round %d chrome", seed, round).isEqualTo(expected.get("chrome"));
            }
        }
        // Every kind of op was exercised, often: the equality above is not reached by sending nothing.
        assertThat(seen.keySet()).containsExactly("chrome", "el", "insert", "remove", "text");
        assertThat(seen.values()).allSatisfy(count -> assertThat(count).isGreaterThan(20));
    }

    @Test
    void framesAreAsciiAndCarryHostileTextAsDataOnly() {
        ViewTree tree = Views.tree();
        int next = 2;
        List<String> accepted = new ArrayList<>();
        for (String evil : XssCorpusTest.CORPUS) {
            int el = next++;
            int tx = next++;
            try {
                var batch = new ArrayList<>(List.of(ops(element(el, "text", 1), text(tx, evil, el))));
                batch.add(new ViewOp.SetAttribute(id(el), "aria-label", evil));
                apply(tree, batch.toArray(ViewOp[]::new));
                accepted.add(evil);
            } catch (ViewOpException refused) {
                // refused by the tree: never reaches the wire
            }
        }
        apply(tree, new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "</script><script>alert(1)</script>\u2028\u4e2d"));
        String frame = browser().page(shown(tree, 1, false));
        assertThat(frame.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("ASCII only, controls escaped").isTrue();
        JsonNode children = parse(frame).get("tree").get("children");
        assertThat(accepted).hasSizeGreaterThan(XssCorpusTest.CORPUS.size() / 2);
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(children.get(i).get("tag").stringValue()).isEqualTo("span");
            assertThat(children.get(i).get("attrs").get("aria-label").stringValue()).isEqualTo(accepted.get(i));
            assertThat(children.get(i).get("children").get(0).get("text").stringValue()).isEqualTo(accepted.get(i));
        }
        assertThat(parse(frame).get("chrome").get("navigationBarTitle").get("0").stringValue())
                .isEqualTo("</script><script>alert(1)</script>\u2028\u4e2d");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void collect(JsonNode node, Map<Integer, JsonNode> into) {
        into.put(node.get("id").intValue(), node);
        if (node.has("children")) {
            node.get("children").forEach(c -> collect(c, into));
        }
    }

    private static List<Integer> attached(ViewTree tree) {
        List<Integer> ids = new ArrayList<>();
        walk(tree.snapshot().root(), ids);
        return ids;
    }

    private static void walk(ViewNode node, List<Integer> ids) {
        ids.add(node.id().value());
        if (node instanceof ViewNode.Element e) {
            e.children().forEach(c -> walk(c, ids));
        }
    }

    /** Appends a few random ops (some the tree will refuse, which refuses the batch); returns the next free id. */
    private static int randomOps(Random random, ViewTree tree, List<Integer> attached, int next, List<ViewOp> out) {
        ViewSnapshot now = tree.snapshot();
        List<Integer> elements = attached.stream().filter(i -> now.find(id(i)).orElseThrow() instanceof ViewNode.Element e
                && (e.tag().equals("view") || e.tag().equals("page") || e.tag().equals("text"))).toList();
        int some = attached.get(random.nextInt(attached.size()));
        int parent = elements.get(random.nextInt(elements.size()));
        switch (random.nextInt(9)) {
            case 0, 1 -> {
                String tag = List.of("view", "view", "text", "icon", "input", "image").get(random.nextInt(6));
                out.add(new ViewOp.CreateElement(id(next), tag));
                out.add(new ViewOp.Insert(id(parent), id(next), null));
                return next + 1;
            }
            case 2 -> {
                out.add(new ViewOp.CreateText(id(next), "t" + next));
                out.add(new ViewOp.Insert(id(parent), id(next), null));
                return next + 1;
            }
            case 3 -> {
                if (some != 1) {
                    out.add(new ViewOp.Remove(id(some)));
                }
            }
            case 4 -> {
                if (some != 1) {
                    var children = ((ViewNode.Element) now.find(id(parent)).orElseThrow()).children();
                    ViewNodeId before = children.isEmpty() || random.nextBoolean() ? null : children.get(random.nextInt(children.size())).id();
                    out.add(new ViewOp.Move(id(parent), id(some), before != null && before.value() == some ? null : before));
                }
            }
            case 5 -> out.add(new ViewOp.SetClass(id(some), List.of("c" + random.nextInt(3))));
            case 6 -> out.add(new ViewOp.SetStyle(id(some), "color", random.nextBoolean() ? "red" : null));
            case 7 -> out.add(now.find(id(some)).orElseThrow() instanceof ViewNode.Text
                    ? new ViewOp.SetText(id(some), "s" + random.nextInt(5))
                    : new ViewOp.SetAttribute(id(some), List.of("hidden", "type", "value", "decode").get(random.nextInt(4)),
                            random.nextBoolean() ? "true" : "success"));
            default -> out.add(new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, random.nextBoolean() ? null : "T" + random.nextInt(3)));
        }
        return next;
    }

    /** A browser that applies the wire exactly as docs/host.md says, holding plain JSON nodes by id. */
    private static final class Model {
        private final Map<Integer, ObjectNode> nodes = new HashMap<>();
        private final Map<Integer, Integer> parents = new HashMap<>();
        private final int root;
        private ObjectNode chrome;

        Model(JsonNode page) {
            root = page.get("tree").get("id").intValue();
            load(page.get("tree"), 0);
            chrome = (ObjectNode) page.get("chrome").deepCopy();
        }

        private void load(JsonNode node, int parent) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            if (copy.has("children")) {
                copy.putArray("children");
            }
            nodes.put(node.get("id").intValue(), copy);
            parents.put(node.get("id").intValue(), parent);
            if (parent != 0) {
                ((ArrayNode) nodes.get(parent).get("children")).add(node.get("id").intValue());
            }
            if (node.has("children")) {
                node.get("children").forEach(c -> load(c, node.get("id").intValue()));
            }
        }

        void apply(JsonNode frame) {
            if (frame.get("t").stringValue().equals("page")) {
                nodes.clear();
                parents.clear();
                load(frame.get("tree"), 0);
                chrome = (ObjectNode) frame.get("chrome").deepCopy();
                return;
            }
            for (JsonNode op : frame.get("ops")) {
                int id = op.path("id").asInt();
                switch (op.get("op").stringValue()) {
                    case "el" -> {
                        ObjectNode el = nodes.computeIfAbsent(id, k -> {
                            ObjectNode n = JSON.createObjectNode().put("id", k);
                            n.put("tag", op.get("tag").stringValue());
                            n.putArray("children");
                            return n;
                        });
                        assertThat(el.get("tag")).isEqualTo(op.get("tag"));
                        el.set("attrs", op.get("attrs"));
                        el.set("classes", op.get("classes"));
                        el.set("style", op.get("style"));
                    }
                    case "text" -> nodes.computeIfAbsent(id, k -> JSON.createObjectNode().put("id", k)).put("text", op.get("text").stringValue());
                    case "insert" -> {
                        int parent = op.get("parent").intValue();
                        assertThat(nodes).containsKey(id).containsKey(parent);
                        detach(id);
                        ArrayNode children = (ArrayNode) nodes.get(parent).get("children");
                        int at = children.size();
                        if (!op.get("before").isNull()) {
                            at = -1;
                            for (int i = 0; i < children.size(); i++) {
                                if (children.get(i).intValue() == op.get("before").intValue()) {
                                    at = i;
                                }
                            }
                            assertThat(at).as("before is a child of the parent").isNotNegative();
                        }
                        children.insert(at, id);
                        parents.put(id, parent);
                    }
                    case "remove" -> {
                        assertThat(nodes).containsKey(id);
                        detach(id);
                        drop(id);
                    }
                    case "chrome" -> {
                        String field = op.get("field").stringValue();
                        String index = String.valueOf(op.get("index").intValue());
                        if (op.get("value").isNull()) {
                            if (chrome.has(field)) {
                                ((ObjectNode) chrome.get(field)).remove(index);
                                if (chrome.get(field).isEmpty()) {
                                    chrome.remove(field);
                                }
                            }
                        } else {
                            (chrome.has(field) ? (ObjectNode) chrome.get(field) : chrome.putObject(field)).put(index, op.get("value").stringValue());
                        }
                    }
                    default -> throw new AssertionError("unknown op " + op);
                }
            }
        }

        private void detach(int id) {
            Integer parent = parents.remove(id);
            if (parent != null && parent != 0) {
                ArrayNode children = (ArrayNode) nodes.get(parent).get("children");
                for (int i = 0; i < children.size(); i++) {
                    if (children.get(i).intValue() == id) {
                        children.remove(i);
                        return;
                    }
                }
            }
        }

        private void drop(int id) {
            ObjectNode node = nodes.remove(id);
            if (node != null && node.has("children")) {
                node.get("children").forEach(c -> {
                    parents.remove(c.intValue());
                    drop(c.intValue());
                });
            }
        }

        JsonNode page() {
            return tree(root);
        }

        private JsonNode tree(int id) {
            ObjectNode node = nodes.get(id).deepCopy();
            if (node.has("children")) {
                ArrayNode children = node.putArray("children");
                nodes.get(id).get("children").forEach(c -> children.add(tree(c.intValue())));
            }
            return node;
        }
    }
}
