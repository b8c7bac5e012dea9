package dev.capsule.runtime.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The builder writes only names from its closed sets and escapes every value. */
class HtmlBuilderTest {

    private static String write(Html html) {
        var out = new StringBuilder();
        html.write(out);
        return out.toString();
    }

    @Test
    void elementAndAttributeNamesComeFromClosedSets() {
        for (String name : new String[] {"script", "iframe", "object", "embed", "link", "base", "svg", "form", "frame", "template", "DIV", "div onclick"}) {
            assertThatThrownBy(() -> Html.element(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        for (String name : new String[] {"onclick", "onerror", "href", "action", "formaction", "srcdoc", "data-", "data-a b", "data-a\"", "data-A",
                "xlink:href", "style onload"}) {
            assertThatThrownBy(() -> Html.element("div").attr(name, "x")).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(write(Html.element("div").attr("data-item-id", "1"))).isEqualTo("<div data-item-id=\"1\"></div>");
    }

    @Test
    void textAndValuesAreEscapedByConstruction() {
        String hostile = "<script>\"x\" & 'y'</script>";
        assertThat(write(Html.element("span").attr("aria-label", hostile).text(hostile)))
                .isEqualTo("<span aria-label=\"&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;\">"
                        + "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</span>");
        assertThat(write(Html.element("span").text("a\u0000b\u001bc\u0085d\udc00e\tf\ng"))).isEqualTo("<span>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\tf\ng</span>");
    }

    @Test
    void voidElementsHaveNoContentOrEndTag() {
        assertThat(write(Html.element("img").attr("alt", "a").text("ignored").child(Html.element("div")))).isEqualTo("<img alt=\"a\">");
    }

    @Test
    void theSheetCannotEndItsStyleElement() {
        assertThat(write(Html.style("a>b{content:\"<\"}"))).isEqualTo("<style>a>b{content:\"<\"}</style>");
        assertThatThrownBy(() -> Html.style("a{}</style >")).isInstanceOf(ViewOpException.class);
        assertThatThrownBy(() -> Html.style("a{}</StYlE")).isInstanceOf(ViewOpException.class);
    }
}
