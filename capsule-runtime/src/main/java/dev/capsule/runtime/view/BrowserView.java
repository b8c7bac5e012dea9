package dev.capsule.runtime.view;

import dev.capsule.runtime.view.wxss.AssetInliner;
import dev.capsule.runtime.view.wxss.StyleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host shell's wire (docs/host.md, "Wire protocol"): a session's current page as JSON frames for a browser
 * that builds the DOM from data with safe DOM APIs only. One per hosted session: it remembers the page it last
 * sent, so {@link #update} answers a {@code page} frame after a navigation and an {@code ops} frame with the
 * difference otherwise (several batches coalesce into one frame; the difference is computed between the two
 * projected trees, so it is right whatever happened between two calls).
 *
 * <p>The element projection (tag names, attribute names and values, classes, style) is {@link HtmlRenderer}'s
 * mapping ({@code ElementMapping}, one mapping for both), with the shell's differences: form controls are live
 * (no {@code readonly}; a checkbox's and radio's {@code value} and a picker's {@code mode}, {@code range},
 * {@code range-key}, {@code value} and {@code disabled} are written, since the shell draws the picker and reports
 * a group's change from them), image {@code src}, CSS {@code url()} and tab bar icons become the same-origin URLs
 * {@code assetUrls} answers, remote images are dropped, and guest {@code data-*} are not written (an event names
 * its node; the session resolves dataset and marks). An element whose content the mapping draws itself (an
 * icon's glyph, a textarea's text) has one text child with the id {@code -id} instead of its own children.
 *
 * <p>Security guarantees: every frame is built from parsed values with Jackson, never by concatenating text,
 * and is ASCII only (everything else {@code \}u-escaped); element and attribute names come from the mapping's
 * closed sets and are checked again against {@link #ELEMENTS} and {@link #ATTRIBUTES} (and the HTML builder's
 * sets; else {@link IllegalStateException}: fail closed), never from guest data; values come from a {@link ViewSnapshot} the host's {@link ViewTree} checked; an asset URL is
 * written only if it is a same-origin path of safe characters ({@link StyleSet#isSameOriginPath}), else the
 * image, declaration or icon is dropped.
 */
public final class BrowserView {
    /**
     * Every element name a frame may carry: the built-ins' elements ({@link Builtins}), rich-text's
     * ({@link RichTextSanitizer#TAGS}) and {@code div} (the page root, custom component hosts). The shell's
     * closed tag list is this one (docs/host.md).
     */
    public static final java.util.Set<String> ELEMENTS = elements();
    /**
     * Every attribute name a frame may carry (the shell's closed attribute list is this one); {@code class} and
     * {@code style} travel as {@code classes} and {@code style}, never as attributes, and no {@code on*},
     * {@code href}, {@code data-*} or {@code srcset} exists.
     */
    public static final java.util.Set<String> ATTRIBUTES = java.util.Set.of("alt", "aria-busy", "aria-checked", "aria-disabled",
            "aria-label", "colspan", "disabled", "for", "height", "hidden", "id", "max", "maxlength", "min", "mode", "placeholder",
            "range", "range-key", "role", "rowspan", "span", "src", "start", "step", "type", "value", "width");

    private static java.util.Set<String> elements() {
        var names = new java.util.TreeSet<String>(RichTextSanitizer.TAGS);
        Builtins.all().forEach(b -> names.add(b.element()));
        names.add("div");
        return java.util.Collections.unmodifiableSet(names);
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final ElementMapping.Form form;
    private final AssetInliner assetUrls;
    private final Function<String, String> cssUrl;
    /** What the browser shows: the page last sent, or null before the first. */
    private Sent sent;

    private record Sent(int page, String route, boolean canGoBack, Node.El tree, Map<String, String> chrome) {}

    /**
     * @param assetUrls the same-origin URL of a package asset ({@code /shell/s/<sid>/assets/images/a.png}), or empty
     * @param cssUrl    the same-origin URL of a route's compiled stylesheet ({@code /shell/s/<sid>/page.css?route=…})
     */
    public BrowserView(AssetInliner assetUrls, Function<String, String> cssUrl) {
        this.assetUrls = Objects.requireNonNull(assetUrls, "assetUrls");
        this.cssUrl = Objects.requireNonNull(cssUrl, "cssUrl");
        this.form = new ElementMapping.Form(this::imageUrl, true, false);
    }

    /** The whole page as a {@code page} frame (on open, on resume); remembered as what the browser now shows. */
    public synchronized String page(ShownPage page) {
        Objects.requireNonNull(page, "page");
        Sent now = project(page);
        sent = now;
        ObjectNode frame = JSON.createObjectNode().put("t", "page").put("route", now.route()).put("css", cssUrl.apply(now.route()));
        frame.set("tree", json(now.tree()));
        ObjectNode chrome = frame.putObject("chrome");
        now.chrome().forEach((key, value) -> {
            int at = key.indexOf('/');
            ObjectNode field = chrome.has(key.substring(0, at)) ? (ObjectNode) chrome.get(key.substring(0, at)) : chrome.putObject(key.substring(0, at));
            field.put(key.substring(at + 1), value);
        });
        frame.put("canGoBack", now.canGoBack());
        return JSON.writeValueAsString(frame);
    }

    /**
     * What brings the browser up to date with {@code current}: a {@code page} frame when it is another page than
     * the one last sent (or none was sent, or the back arrow changed, or a node id now names a node of another
     * tag), an {@code ops} frame with the difference when the same page changed, empty when nothing changed or
     * there is no page. Call it after every {@code RuntimeEvent.View} and {@code RuntimeEvent.Lifecycle}, and after
     * {@code navigateBack}/{@code switchTab}.
     */
    public synchronized Optional<String> update(Optional<ShownPage> current) {
        if (current.isEmpty()) {
            return Optional.empty();
        }
        ShownPage page = current.get();
        if (sent == null || sent.page() != page.page() || sent.canGoBack() != page.canGoBack()) {
            return Optional.of(page(page));
        }
        Sent now = project(page);
        Optional<ArrayNode> ops = difference(sent, now);
        if (ops.isEmpty()) {
            return Optional.of(page(page));
        }
        sent = now;
        if (ops.get().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode frame = JSON.createObjectNode().put("t", "ops").put("route", now.route());
        frame.set("ops", ops.get());
        return Optional.of(JSON.writeValueAsString(frame));
    }

    // ---- projection -----------------------------------------------------------------------------

    /** A projected node: what the browser holds for one id. */
    private sealed interface Node {
        int id();

        record El(int id, String tag, Map<String, String> attrs, List<String> classes, Map<String, String> style, List<Node> children)
                implements Node {}

        record Text(int id, String text) implements Node {}
    }

    private Sent project(ShownPage page) {
        Map<String, String> chrome = new LinkedHashMap<>(); // the snapshot's order: fields as ChromeField lists them, then index
        page.view().chrome().forEach((field, values) -> values.forEach((index, value) -> {
            String projected = field.kind() == ChromeField.Kind.ASSET
                    ? UrlPolicy.PACKAGE_ONLY.image(value).map(this::imageUrl).orElse(null)
                    : value;
            if (projected != null) {
                chrome.put(field.wireName() + "/" + index, projected);
            }
        }));
        return new Sent(page.page(), page.route(), page.canGoBack(), element(page.view().root(), null), chrome);
    }

    private Node.El element(ViewNode.Element node, ViewNode.Element parent) {
        ElementMapping.Mapped mapped = ElementMapping.map(node, UrlPolicy.PACKAGE_ONLY, form);
        if (!ELEMENTS.contains(mapped.name()) || !Html.isElement(mapped.name())) {
            throw new IllegalStateException("the element mapping wrote an element outside the closed set");
        }
        var attrs = new LinkedHashMap<String, String>();
        mapped.attributes().forEach((name, value) -> {
            if (!ATTRIBUTES.contains(name) || !Html.isAttribute(name)) {
                throw new IllegalStateException("the element mapping wrote an attribute outside the closed set");
            }
            attrs.put(name, value == null ? "" : value);
        });
        List<Node> children = new ArrayList<>();
        if (mapped.content() != null) {
            children.add(new Node.Text(-node.id().value(), mapped.content()));
        } else {
            for (ViewNode child : node.children()) {
                children.add(switch (child) {
                    case ViewNode.Element e -> element(e, node);
                    case ViewNode.Text t -> new Node.Text(t.id().value(), ElementMapping.text(t.text(), node));
                });
            }
        }
        return new Node.El(node.id().value(), mapped.name(), attrs, mapped.classes(), mapped.style(), children);
    }

    /** A package asset as the shell loads it: the host's same-origin URL, or null (remote images are never loaded). */
    private String imageUrl(UrlPolicy.Target target) {
        if (!(target instanceof UrlPolicy.Target.PackageAsset(String path))) {
            return null;
        }
        return assetUrls.dataUri(path).filter(StyleSet::isSameOriginPath).orElse(null);
    }

    // ---- the difference -------------------------------------------------------------------------

    private record Place(Node node, int parent) {}

    /**
     * The ops that turn {@code before} into {@code after}: new nodes, changed ones, every child list that changed
     * (re-inserted in order), removed subtrees, changed chrome. Empty when an id names a node of another kind or tag
     * in the two (the browser could not reuse it): then the caller sends the whole page.
     */
    private static Optional<ArrayNode> difference(Sent before, Sent after) {
        Map<Integer, Place> old = new HashMap<>();
        Map<Integer, Place> now = new HashMap<>();
        index(before.tree(), 0, old);
        List<Node> order = new ArrayList<>();
        index(after.tree(), 0, now, order);
        ArrayNode ops = JSON.createArrayNode();
        for (Node node : order) {
            Place was = old.get(node.id());
            if (was == null) {
                ops.add(create(node));
                continue;
            }
            switch (node) {
                case Node.El el when was.node() instanceof Node.El w && w.tag().equals(el.tag()) -> {
                    if (!w.attrs().equals(el.attrs()) || !w.classes().equals(el.classes()) || !w.style().equals(el.style())) {
                        ops.add(create(el));
                    }
                }
                case Node.Text text when was.node() instanceof Node.Text w -> {
                    if (!w.text().equals(text.text())) {
                        ops.add(create(text));
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        for (Node node : order) {
            if (node instanceof Node.El el && !sameChildren(old.get(el.id()), el)) {
                List<Node> children = el.children();
                for (int i = children.size() - 1; i >= 0; i--) {
                    ObjectNode insert = ops.addObject().put("op", "insert").put("parent", el.id()).put("id", children.get(i).id());
                    if (i + 1 < children.size()) {
                        insert.put("before", children.get(i + 1).id());
                    } else {
                        insert.putNull("before");
                    }
                }
            }
        }
        old.forEach((id, place) -> {
            if (!now.containsKey(id) && now.containsKey(place.parent())) {
                ops.addObject().put("op", "remove").put("id", id);
            }
        });
        var fields = new java.util.LinkedHashSet<>(after.chrome().keySet());
        fields.addAll(before.chrome().keySet());
        for (String key : fields) {
            String value = after.chrome().get(key);
            if (!Objects.equals(before.chrome().get(key), value)) {
                int at = key.indexOf('/');
                ObjectNode op = ops.addObject().put("op", "chrome").put("field", key.substring(0, at)).put("index", Integer.parseInt(key.substring(at + 1)));
                if (value == null) {
                    op.putNull("value");
                } else {
                    op.put("value", value);
                }
            }
        }
        return Optional.of(ops);
    }

    private static boolean sameChildren(Place was, Node.El el) {
        if (was == null || !(was.node() instanceof Node.El w) || w.children().size() != el.children().size()) {
            return false;
        }
        for (int i = 0; i < el.children().size(); i++) {
            if (w.children().get(i).id() != el.children().get(i).id()) {
                return false;
            }
        }
        return true;
    }

    private static void index(Node node, int parent, Map<Integer, Place> into) {
        index(node, parent, into, null);
    }

    /** Every node by id with its parent's id (0 for the root), and the nodes in document order when {@code order} is given. */
    private static void index(Node node, int parent, Map<Integer, Place> into, List<Node> order) {
        into.put(node.id(), new Place(node, parent));
        if (order != null) {
            order.add(node);
        }
        if (node instanceof Node.El el) {
            for (Node child : el.children()) {
                index(child, el.id(), into, order);
            }
        }
    }

    /** An {@code el} or {@code text} op: create the node, or replace its own attributes, classes and style (never its children). */
    private static ObjectNode create(Node node) {
        ObjectNode op = JSON.createObjectNode();
        switch (node) {
            case Node.El el -> {
                op.put("op", "el").put("id", el.id()).put("tag", el.tag());
                own(el, op);
            }
            case Node.Text text -> op.put("op", "text").put("id", text.id()).put("text", text.text());
        }
        return op;
    }

    private static void own(Node.El el, ObjectNode into) {
        ObjectNode attrs = into.putObject("attrs");
        el.attrs().forEach(attrs::put);
        ArrayNode classes = into.putArray("classes");
        el.classes().forEach(classes::add);
        ObjectNode style = into.putObject("style");
        el.style().forEach(style::put);
    }

    /** The wire's NODE: an element with its children, or a text. */
    private static ObjectNode json(Node node) {
        ObjectNode out = JSON.createObjectNode().put("id", node.id());
        switch (node) {
            case Node.El el -> {
                out.put("tag", el.tag());
                own(el, out);
                ArrayNode children = out.putArray("children");
                el.children().forEach(c -> children.add(json(c)));
            }
            case Node.Text text -> out.put("text", text.text());
        }
        return out;
    }
}
