package dev.capsule.runtime.view;

import static dev.capsule.runtime.view.Views.apply;
import static dev.capsule.runtime.view.Views.element;
import static dev.capsule.runtime.view.Views.id;
import static dev.capsule.runtime.view.Views.ops;
import static dev.capsule.runtime.view.Views.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Hostile strings pushed through every place a guest string reaches the view (text, attributes,
 * dataset, class, style, chrome, rich-text node lists and HTML): each is either refused by the tree or
 * rendered harmlessly; the page, parsed with jsoup, never has a script, an event-handler attribute, a
 * {@code javascript:}/{@code data:text/html}/{@code vbscript:} URL, an element outside the renderer's
 * set, or a style element besides the one sheet.
 */
public class XssCorpusTest {
    public static final List<String> CORPUS = List.of(
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "javascript:alert(1)",
            "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "</style><script>alert(1)</script>",
            "</STYLE><script>alert(1)</script>", "a\u2028b\u2029c", "nul\u0000byte", "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&#60;script&#62;", "&#x3c;img src=x onerror=alert(1)&#x3e;", "\\3c script\\3e", "expression(alert(1))",
            "red;background:url(javascript:alert(1))", "url(\"javascript:alert(1)\")", "x:expression(alert(1))", "-moz-binding:url(x)",
            "behavior:url(x.htc)", "}body{background:red}", "/*</style>*/", "<!--", "-->", "<![CDATA[x]]>", "\ud800lone", "\u202e rtl",
            "${alert(1)}", "{{constructor.constructor('alert(1)')()}}", "onclick=alert(1)", "<a href=javascript:alert(1)>x</a>",
            "<iframe src=javascript:alert(1)>", "<object data=x>", "<math><mtext><script>alert(1)</script>", "\"onmouseover=\"alert(1)",
            "'onmouseover='alert(1)", "`onmouseover=alert(1)`", "<style>@import url(x)</style>", "url(/images/a.png) ;color:red");

    private int next = 2;

    @Test
    void theCorpusThroughTextAttributesDatasetClassStyleAndChromeRendersHarmlessly() {
        ViewTree tree = Views.tree();
        int accepted = 0;
        for (String evil : CORPUS) {
            int el = next++;
            int tx = next++;
            apply(tree, ops(element(el, "text", 1), text(tx, evil, el)));
            // Each single op alone: refused (the tree stays as it was) or applied.
            for (ViewOp op : List.of(new ViewOp.SetAttribute(id(el), "id", evil), new ViewOp.SetAttribute(id(el), "aria-label", evil),
                    new ViewOp.SetAttribute(id(el), "decode", evil), new ViewOp.SetDataset(id(el), "x", evil), new ViewOp.SetDataset(id(el), evil, "x"),
                    new ViewOp.SetClass(id(el), List.of(evil)), new ViewOp.SetStyle(id(el), "color", evil),
                    new ViewOp.SetStyle(id(el), "background", evil), new ViewOp.SetStyle(id(el), evil, "red"), new ViewOp.CreateElement(id(next++), evil),
                    new ViewOp.SetAttribute(id(el), evil, "x"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, evil),
                    new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 0, evil), new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_BADGE, 1, evil),
                    new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, evil))) {
                try {
                    apply(tree, op);
                    accepted++;
                } catch (ViewOpException refused) {
                    assertThat(refused.getMessage()).doesNotContain("\u0000", "<script>");
                }
            }
            int img = next++;
            apply(tree, ops(element(img, "image", el)));
            try {
                apply(tree, new ViewOp.SetAttribute(id(img), "src", evil));
                accepted++;
            } catch (ViewOpException refused) {
                // expected for every hostile URL
            }
        }
        assertThat(accepted).as("some hostile strings are accepted as plain text").isGreaterThan(CORPUS.size());
        String html = HtmlRenderer.render(tree, ".a{color:red}", AssetSource.NONE);
        assertHarmless(html);
        // Text stays text: the hostile strings are in the page as text, not as markup.
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("main").text()).contains("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>");
        assertThat(doc.select("header").text()).isNotEmpty();
    }

    @Test
    void theCorpusThroughRichTextNodeListsAndHtmlRendersHarmlessly() {
        var sanitizer = new RichTextSanitizer(Views.URLS);
        var f = JsonNodeFactory.instance;
        ViewTree tree = Views.tree();
        for (String evil : CORPUS) {
            var list = f.arrayNode();
            var node = list.addObject().put("name", "div");
            var attrs = node.putObject("attrs");
            for (String name : List.of("class", "style", "id", "onclick", "href", "src", "title", "width")) {
                attrs.put(name, evil);
            }
            node.putArray("children").addObject().put("type", "text").put("text", evil);
            var img = list.addObject().put("name", "img");
            img.putObject("attrs").put("src", evil).put("style", "background:" + evil).put("onerror", evil).put("alt", evil);
            list.addObject().put("name", evil).putObject("attrs").put("style", evil);
            list.addObject().put("name", "script").putArray("children").addObject().put("type", "text").put("text", evil);
            insert(tree, sanitizer.sanitize(list));
            insert(tree, sanitizer.sanitize(f.stringNode(evil)));
            insert(tree, sanitizer.sanitize(f.stringNode("<div style=\"color:" + evil.replace("\"", "&quot;") + "\" onclick=\"" + evil + "\">"
                    + evil + "</div><img src=\"" + evil + "\"><a href=\"" + evil + "\">x</a>")));
        }
        String html = HtmlRenderer.render(tree, "", AssetSource.NONE);
        assertHarmless(html);
        assertThat(Jsoup.parse(html).select("main").text()).contains("<script>alert(1)</script>");
    }

    @Test
    void aSheetThatWouldEndTheStyleElementIsRefused() {
        for (String css : List.of("a{}</style><script>alert(1)</script>", "a{}</STYLE >", "a{}</sTyLe")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HtmlRenderer.render(Views.tree(), css, AssetSource.NONE))
                    .isInstanceOf(ViewOpException.class).hasMessageContaining("</style");
        }
    }

    /** Inserts sanitized rich-text nodes under a new rich-text element, as the engine does. */
    private void insert(ViewTree tree, List<RichNode> nodes) {
        var ops = new ArrayList<ViewOp>();
        int host = next++;
        ops.addAll(element(host, "rich-text", 1));
        nodes.forEach(n -> add(n, host, ops));
        tree.apply(new ViewBatch(tree.version() + 1, ops));
    }

    private void add(RichNode node, int parent, List<ViewOp> ops) {
        int me = next++;
        switch (node) {
            case RichNode.Text t -> ops.addAll(text(me, t.text(), parent));
            case RichNode.Element e -> {
                ops.addAll(element(me, e.tag(), parent));
                e.attributes().forEach((k, v) -> ops.add(new ViewOp.SetAttribute(id(me), k, v)));
                if (!e.classes().isEmpty()) {
                    ops.add(new ViewOp.SetClass(id(me), e.classes()));
                }
                e.style().forEach((k, v) -> ops.add(new ViewOp.SetStyle(id(me), k, v)));
                e.children().forEach(c -> add(c, me, ops));
            }
        }
    }

    private static final java.util.Set<String> URL_OR_CSS_ATTRIBUTES = java.util.Set.of("src", "href", "action", "formaction", "data", "poster",
            "background", "srcset", "style", "xlink:href", "content");

    /** What the issue's proof demands of every rendered page. */
    public static void assertHarmless(String html) {
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("script, iframe, frame, object, embed, link, base, form, svg, math, template")).isEmpty();
        assertThat(doc.select("style")).hasSize(1);
        assertThat(doc.select("meta[http-equiv=Content-Security-Policy]").attr("content")).isEqualTo(HtmlRenderer.CONTENT_SECURITY_POLICY);
        for (Element element : doc.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue().toLowerCase(Locale.ROOT).replaceAll("[\\s\\u0000-\\u001f]", "");
                assertThat(name).as("attribute on <%s>", element.tagName()).doesNotStartWith("on").isNotIn("href", "action", "formaction", "srcdoc", "xlink:href");
                if (name.equals("src")) {
                    assertThat(value).as("src").matches("data:image/[a-z+.-]+;base64,[a-z0-9+/=]*");
                }
                // Attributes a browser reads as a URL or as CSS; the rest (alt, aria-label, id, value, data-*) are only ever text.
                if (URL_OR_CSS_ATTRIBUTES.contains(name)) {
                    assertThat(value).as("%s=%s", name, value).doesNotContain("javascript:", "vbscript:", "data:text/html", "expression(",
                            "-moz-binding", "behavior:");
                }
                if (name.equals("style")) {
                    // The only url() left is a package image inlined by the renderer.
                    assertThat(value.replaceAll("url\\(\"data:image/[a-z+.-]+;base64,[a-z0-9+/=]*\"\\)", ""))
                            .doesNotContain("url(").doesNotContain("@import").doesNotContain("</");
                }
            }
        }
        // The raw document: no byte the parser could have read as the start of a script or a handler.
        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script", "<iframe", "\u0000");
        assertThat(html.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
    }

}
