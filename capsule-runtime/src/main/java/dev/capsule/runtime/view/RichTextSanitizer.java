package dev.capsule.runtime.view;

import dev.capsule.runtime.view.Builtin.Attribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a {@code rich-text} component's {@code nodes} value into allowlisted {@link RichNode}s: WeChat's node
 * list ({@code [{name, attrs, children}, {type: "text", text}]}) or an HTML string, which jsoup parses
 * (as a browser would, without running anything) into the same node list first, so both go through one
 * allowlist.
 *
 * <p>Security guarantees: only WeChat's rich-text tags ({@link #TAGS}) survive, with only their
 * attributes ({@code class} as class tokens, {@code style} declarations each passing
 * {@link StyleRules#check}, per-tag attributes passing their {@link ValueKind} check; {@code img src}
 * only as {@link UrlPolicy#image} accepts). Unknown elements are unwrapped (their children kept) except
 * {@link #DROPPED_WITH_CONTENT} ({@code script}, {@code style}, ...), which are dropped whole. No event
 * handler, {@code href}, {@code id} or other attribute survives; text stays text. Sizes are capped
 * ({@link #NODES_MAX}, {@link #DEPTH_MAX}, {@link #HTML_CHARS_MAX}); a breach throws
 * {@link ViewOpException}.
 */
public final class RichTextSanitizer {
    /** The prefix of rich-text elements' view tags: {@code rich-text:p}. It cannot collide with a custom component tag. */
    public static final String TAG_PREFIX = "rich-text:";
    /** Nodes (elements and text) one {@code nodes} value may produce. */
    public static final int NODES_MAX = 10_000;
    /** Element nesting of one {@code nodes} value. */
    public static final int DEPTH_MAX = 64;
    /** Characters of an HTML string value. */
    public static final int HTML_CHARS_MAX = 1 << 20;
    /** WeChat's rich-text tag list. */
    public static final Set<String> TAGS = Set.of("a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
            "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt", "em", "fieldset", "font", "footer",
            "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "label", "legend", "li", "mark", "nav", "ol", "p",
            "pre", "q", "rt", "ruby", "s", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
            "thead", "tr", "tt", "u", "ul");
    /** Elements dropped together with everything inside them. */
    public static final Set<String> DROPPED_WITH_CONTENT = Set.of("script", "style", "iframe", "frame", "frameset", "object", "embed",
            "applet", "template", "noscript", "noembed", "noframes", "title", "head", "svg", "math", "textarea", "select", "option",
            "xmp", "plaintext", "meta", "link", "base", "form", "input", "button", "audio", "video", "canvas", "web-view");
    /** Attributes per tag (WeChat's list); {@code class} and {@code style} are allowed on all and become SetClass/SetStyle. */
    private static final Map<String, List<Attribute>> ATTRIBUTES = Map.of(
            "col", List.of(Builtins.num("span"), Builtins.length("width")),
            "colgroup", List.of(Builtins.num("span"), Builtins.length("width")),
            "img", List.of(Builtins.text("alt"), Builtins.image("src"), Builtins.length("width"), Builtins.length("height")),
            "ol", List.of(Builtins.num("start"), Builtins.oneOf("type", "1", "a", "A", "i", "I")),
            "table", List.of(Builtins.length("width")),
            "td", List.of(Builtins.num("colspan"), Builtins.num("rowspan"), Builtins.length("width"), Builtins.length("height")),
            "th", List.of(Builtins.num("colspan"), Builtins.num("rowspan"), Builtins.length("width"), Builtins.length("height")));
    private static final Pattern CLASS_TOKEN = Pattern.compile("[A-Za-z_-][A-Za-z0-9_-]{0,255}");

    private final UrlPolicy urls;

    public RichTextSanitizer(UrlPolicy urls) {
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    public static boolean isRichTextTag(String tag) {
        return tag.startsWith(TAG_PREFIX) && TAGS.contains(tag.substring(TAG_PREFIX.length()));
    }

    /** {@code rich-text:p} to {@code p}. */
    public static String htmlName(String tag) {
        return tag.substring(TAG_PREFIX.length());
    }

    /** The rule for an attribute of a rich-text element ({@code p}, not {@code rich-text:p}). */
    static Optional<Attribute> attribute(String htmlName, String name) {
        for (Attribute a : ATTRIBUTES.getOrDefault(htmlName, List.of())) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The allowlisted nodes of a {@code nodes} value: an array (WeChat's node list), one node object, or a
     * string of HTML. Anything else (numbers, {@code null}, undefined) is no nodes.
     *
     * @throws ViewOpException when the value is over a size cap
     */
    public List<RichNode> sanitize(JsonNode nodes) {
        JsonNode list = nodes;
        if (nodes.isString()) {
            list = fromHtml(nodes.asString());
        }
        var budget = new int[] {NODES_MAX};
        if (list.isObject()) {
            return List.copyOf(convert(list, 0, budget));
        }
        if (!list.isArray()) {
            return List.of();
        }
        return children(list, 0, budget);
    }

    /** The node list jsoup's browser-grade parser makes of an HTML string (nothing is run or fetched). */
    static ArrayNode fromHtml(String html) {
        if (html.length() > HTML_CHARS_MAX) {
            throw new ViewOpException("rich-text HTML of " + html.length() + " chars, more than " + HTML_CHARS_MAX);
        }
        var body = Jsoup.parseBodyFragment(html).body();
        var out = JsonNodeFactory.instance.arrayNode();
        body.childNodes().forEach(n -> toJson(n, out, 0));
        return out;
    }

    private static void toJson(org.jsoup.nodes.Node node, ArrayNode out, int depth) {
        if (depth > DEPTH_MAX) {
            throw new ViewOpException("rich-text nested deeper than " + DEPTH_MAX);
        }
        if (out.size() > NODES_MAX) {
            throw new ViewOpException("rich-text has more than " + NODES_MAX + " nodes");
        }
        if (node instanceof org.jsoup.nodes.TextNode text) {
            out.addObject().put("type", "text").put("text", text.getWholeText());
        } else if (node instanceof org.jsoup.nodes.Element element) {
            ObjectNode object = out.addObject();
            object.put("name", element.normalName());
            ObjectNode attrs = object.putObject("attrs");
            element.attributes().forEach(a -> attrs.put(a.getKey(), a.getValue()));
            ArrayNode children = object.putArray("children");
            element.childNodes().forEach(c -> toJson(c, children, depth + 1));
        }
        // Comments, doctypes, CDATA and the like carry nothing to show.
    }

    private List<RichNode> children(JsonNode array, int depth, int[] budget) {
        var out = new ArrayList<RichNode>();
        for (JsonNode child : array) {
            out.addAll(convert(child, depth, budget));
        }
        return out;
    }

    /** One raw node as zero (dropped), one, or several (unwrapped) sanitized nodes. */
    private List<RichNode> convert(JsonNode raw, int depth, int[] budget) {
        if (!raw.isObject()) {
            return List.of();
        }
        if (depth > DEPTH_MAX) {
            throw new ViewOpException("rich-text nested deeper than " + DEPTH_MAX);
        }
        if (--budget[0] < 0) {
            throw new ViewOpException("rich-text has more than " + NODES_MAX + " nodes");
        }
        if ("text".equals(raw.path("type").asString(""))) {
            return List.of(new RichNode.Text(raw.path("text").asString("")));
        }
        String name = raw.path("name").asString("").toLowerCase(Locale.ROOT);
        JsonNode kids = raw.path("children");
        List<RichNode> children = kids.isArray() ? children(kids, depth + 1, budget) : List.of();
        if (!TAGS.contains(name)) {
            return DROPPED_WITH_CONTENT.contains(name) ? List.of() : children;
        }
        var attributes = new LinkedHashMap<String, String>();
        var classes = new ArrayList<String>();
        var style = new LinkedHashMap<String, String>();
        for (var entry : raw.path("attrs").properties()) {
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            JsonNode v = entry.getValue();
            if (!v.isValueNode()) {
                continue;
            }
            String value = v.asString("");
            switch (key) {
                case "class" -> {
                    for (String token : value.trim().split("\\s+")) {
                        if (CLASS_TOKEN.matcher(token).matches() && classes.size() < ViewLimits.CLASSES_PER_NODE_MAX) {
                            classes.add(token);
                        }
                    }
                }
                case "style" -> StyleRules.declarations(value).forEach((p, d) -> {
                    if (style.size() < ViewLimits.STYLES_PER_NODE_MAX && d.length() <= ViewLimits.ATTRIBUTE_VALUE_CHARS_MAX
                            && StyleRules.check(p, d, urls).isEmpty()) {
                        style.put(p, d);
                    }
                });
                default -> attribute(name, key).ifPresent(rule -> {
                    if (!value.isEmpty() && value.length() <= ViewLimits.ATTRIBUTE_VALUE_CHARS_MAX
                            && rule.kind().check(value, rule.choices(), urls).isEmpty()) {
                        attributes.put(key, value);
                    }
                });
            }
        }
        return List.of(new RichNode.Element(TAG_PREFIX + name, attributes, classes, style, children));
    }
}
