package dev.capsule.runtime.view;

import static dev.capsule.runtime.view.Views.apply;
import static dev.capsule.runtime.view.Views.element;
import static dev.capsule.runtime.view.Views.id;
import static dev.capsule.runtime.view.Views.ops;
import static dev.capsule.runtime.view.Views.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The renderer writes one self-contained, script-free document from the tree. */
class HtmlRendererTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    private static final AssetSource ASSETS = AssetSource.of(Map.of("images/a.png", PNG, "icons/home.png", PNG, "notes.txt", new byte[] {1}));

    private static Document render(ViewTree tree, String css) {
        String html = HtmlRenderer.render(tree, css, ASSETS);
        XssCorpusTest.assertHarmless(html);
        return Jsoup.parse(html);
    }

    @Test
    void theDocumentIsSelfContainedWithCspSheetAndRpx() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "view", 1), text(3, "Hello", 2)));
        String html = HtmlRenderer.render(tree, ".s-1._capsule-view{color:red}", ASSETS);
        assertThat(html).startsWith("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("style").html()).contains(":root,._capsule-page{--rpx:0.5px}", ".s-1._capsule-view{color:red}");
        assertThat(new HtmlRenderer(414).render(tree.snapshot(), Views.URLS, "", ASSETS)).contains("--rpx:0.552px");
        assertThat(doc.select("main > div._capsule-page > div._capsule-view").text()).isEqualTo("Hello");
        assertThat(doc.select("script")).isEmpty();
    }

    @Test
    void imagesAreInlinedAsDataUrisOfPackageFilesOnly() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "image", 1), element(3, "image", 1), element(4, "image", 1), element(5, "view", 1)));
        apply(tree, new ViewOp.SetAttribute(id(2), "src", "/images/a.png"), new ViewOp.SetAttribute(id(2), "mode", "aspectFill"),
                new ViewOp.SetAttribute(id(3), "src", "https://img.example.com/b.png"), new ViewOp.SetAttribute(id(4), "src", "/images/missing.png"),
                new ViewOp.SetStyle(id(5), "background-image", "url('/images/a.png')"), new ViewOp.SetStyle(id(5), "width", "375rpx"));
        Document doc = render(tree, "");
        var images = doc.select("img._capsule-image");
        assertThat(images.get(0).attr("src")).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertThat(images.get(0).attr("style")).contains("object-fit:cover");
        assertThat(images.get(1).hasAttr("src")).isFalse();
        assertThat(images.get(2).hasAttr("src")).isFalse();
        assertThat(doc.select("div._capsule-view").attr("style"))
                .isEqualTo("background-image:url(\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG) + "\");width:calc(375 * var(--rpx));");
    }

    @Test
    void classesDatasetAndCommonAttributesAreRendered() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "view", 1), element(3, "my-card", 2)));
        apply(tree, new ViewOp.SetClass(id(2), List.of("s-1", "row")), new ViewOp.SetAttribute(id(2), "id", "r"),
                new ViewOp.SetAttribute(id(2), "hidden", "true"), new ViewOp.SetDataset(id(2), "itemId", "7"),
                new ViewOp.SetAttribute(id(3), "hidden", "false"));
        Document doc = render(tree, "");
        var row = doc.getElementById("r");
        assertThat(row.className()).isEqualTo("_capsule-view s-1 row");
        assertThat(row.hasAttr("hidden")).isTrue();
        assertThat(row.attr("data-item-id")).isEqualTo("7");
        var card = doc.getElementById("r").child(0);
        assertThat(card.tagName()).isEqualTo("div");
        assertThat(card.className()).isEmpty();
        assertThat(card.hasAttr("hidden")).isFalse();
        apply(tree, new ViewOp.SetClass(id(2), List.of("_capsule-view", "x")));
        assertThat(render(tree, "").getElementById("r").className()).isEqualTo("_capsule-view x");
    }

    @Test
    void componentsRenderAsTheirSemanticElements() {
        ViewTree tree = Views.tree();
        apply(tree, ops(element(2, "button", 1), element(3, "input", 1), element(4, "textarea", 1), element(5, "switch", 1),
                element(6, "slider", 1), element(7, "progress", 1), element(8, "navigator", 1), element(9, "form", 1),
                element(10, "icon", 1), element(11, "scroll-view", 1), element(12, "text", 1), text(13, "a&nbsp;b c", 12)));
        apply(tree, new ViewOp.SetAttribute(id(2), "form-type", "submit"), new ViewOp.SetAttribute(id(2), "disabled", "true"),
                new ViewOp.SetAttribute(id(3), "password", "true"), new ViewOp.SetAttribute(id(3), "value", "secret\"x"),
                new ViewOp.SetAttribute(id(4), "value", "</textarea><script>alert(1)</script>"), new ViewOp.SetAttribute(id(5), "checked", "true"),
                new ViewOp.SetAttribute(id(6), "value", "30"), new ViewOp.SetAttribute(id(7), "percent", "40"),
                new ViewOp.SetAttribute(id(8), "url", "/pages/b/b"), new ViewOp.SetAttribute(id(10), "type", "success"),
                new ViewOp.SetAttribute(id(10), "color", "#f00"), new ViewOp.SetAttribute(id(11), "scroll-y", "true"),
                new ViewOp.SetAttribute(id(12), "decode", "true"), new ViewOp.SetAttribute(id(12), "space", "emsp"));
        Document doc = render(tree, "");
        assertThat(doc.select("button._capsule-button").attr("type")).isEqualTo("button");
        assertThat(doc.select("button._capsule-button").hasAttr("disabled")).isTrue();
        assertThat(doc.select("input._capsule-input").attr("type")).isEqualTo("password");
        assertThat(doc.select("input._capsule-input").attr("value")).isEqualTo("secret\"x");
        assertThat(doc.select("textarea").text()).isEqualTo("</textarea><script>alert(1)</script>");
        assertThat(doc.select("span._capsule-switch").attr("role")).isEqualTo("switch");
        assertThat(doc.select("span._capsule-switch").attr("aria-checked")).isEqualTo("true");
        assertThat(doc.select("input._capsule-slider").attr("type")).isEqualTo("range");
        assertThat(doc.select("input._capsule-slider").attr("value")).isEqualTo("30");
        assertThat(doc.select("progress").attr("value")).isEqualTo("40");
        assertThat(doc.select("a._capsule-navigator").hasAttr("href")).isFalse();
        assertThat(doc.select("div._capsule-form").attr("role")).isEqualTo("form");
        assertThat(doc.select("i._capsule-icon").attr("style")).isEqualTo("color:#f00;");
        assertThat(doc.select("div._capsule-scroll-view").attr("style")).isEqualTo("overflow-y:auto;");
        assertThat(doc.select("span._capsule-text").first().wholeText()).isEqualTo("a\u00a0b\u2003c");
    }

    @Test
    void navigationAndTabBarsComeFromTheChrome() {
        ViewTree tree = Views.tree();
        apply(tree, new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "<Home>"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, "#07c160"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 0, "Home"), new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_ICON, 0, "/icons/home.png"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 1, "Me"), new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_BADGE, 1, "3"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_SELECTED, "1"));
        Document doc = render(tree, "");
        assertThat(doc.title()).isEqualTo("<Home>");
        assertThat(doc.select("header._capsule-navigation-bar").text()).isEqualTo("<Home>");
        assertThat(doc.select("header._capsule-navigation-bar").attr("style")).isEqualTo("background-color:#07c160;");
        assertThat(doc.select("nav._capsule-tab-bar ._capsule-tab-item")).hasSize(2);
        assertThat(doc.select("._capsule-tab-selected").first().wholeText()).isEqualTo("Me3");
        assertThat(doc.select("._capsule-tab-selected ._capsule-badge").text()).isEqualTo("3");
        assertThat(doc.select("nav img").attr("src")).startsWith("data:image/png;base64,");
        apply(tree, new ViewOp.SetChrome(ChromeField.TAB_BAR_VISIBLE, "false"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_HIDDEN, "true"));
        Document hidden = render(tree, "");
        assertThat(hidden.select("nav")).isEmpty();
        assertThat(hidden.select("header")).isEmpty();
    }

    @Test
    void richTextRendersAsItsHtmlElements() {
        ViewTree tree = Views.tree();
        var nodes = new RichTextSanitizer(Views.URLS).sanitize(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                "<h1 style=\"color:red\">T</h1><table><tr><td colspan=\"2\">c</td></tr></table><img src=\"/images/a.png\" width=\"50\">"));
        assertThat(nodes).hasSize(3);
        apply(tree, ops(element(2, "rich-text", 1), element(3, "rich-text:h1", 2), text(4, "T", 3), element(5, "rich-text:img", 2)));
        apply(tree, new ViewOp.SetStyle(id(3), "color", "red"), new ViewOp.SetAttribute(id(5), "src", "/images/a.png"),
                new ViewOp.SetAttribute(id(5), "width", "50"));
        Document doc = render(tree, "");
        assertThat(doc.select("div._capsule-rich-text > h1").attr("style")).isEqualTo("color:red;");
        assertThat(doc.select("div._capsule-rich-text > img").attr("src")).startsWith("data:image/png;base64,");
        assertThat(doc.select("div._capsule-rich-text > img").attr("width")).isEqualTo("50");
    }

    @Test
    void controlCharactersAndLoneSurrogatesBecomeReplacementCharacters() {
        ViewTree tree = Views.tree();
        apply(tree, ops(text(2, "a\u0000b\u0007c\ud800d\ud83d\ude00e\u2028f", 1)));
        String html = HtmlRenderer.render(tree, "", ASSETS);
        assertThat(html).contains("a\uFFFDb\uFFFDc\uFFFDd\ud83d\ude00e\u2028f");
    }
}
