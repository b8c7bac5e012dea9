package dev.capsule.runtime.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** rich-text's nodes: WeChat's node list and HTML strings go through one allowlist. */
class RichTextSanitizerTest {
    private final RichTextSanitizer sanitizer = new RichTextSanitizer(Views.URLS);

    private static JsonNode json(String text) {
        return dev.capsule.core.json.StrictJson.mapper().readTree(text);
    }

    @Test
    void aNodeListKeepsAllowlistedTagsAttributesClassesAndStyles() {
        List<RichNode> nodes = sanitizer.sanitize(json("""
                [{"name":"div","attrs":{"class":"a b  bad<c","style":"color: red; width: 20rpx; behavior: url(x); position:absolute","id":"x","onclick":"alert(1)"},
                  "children":[{"type":"text","text":"hi <b>"},{"name":"img","attrs":{"src":"https://img.example.com/a.png","width":"100","alt":"A","onerror":"x"}}]}]
                """));
        assertThat(nodes).containsExactly(new RichNode.Element("rich-text:div", Map.of(), List.of("a", "b"),
                Map.of("color", "red", "width", "20rpx", "position", "absolute"), List.of(new RichNode.Text("hi <b>"),
                        new RichNode.Element("rich-text:img", Map.of("src", "https://img.example.com/a.png", "width", "100", "alt", "A"), List.of(), Map.of(), List.of()))));
        assertThat(((RichNode.Element) nodes.getFirst()).style().keySet()).containsExactly("color", "width", "position");
    }

    @Test
    void unknownElementsAreUnwrappedAndDangerousOnesDroppedWithTheirContent() {
        List<RichNode> nodes = sanitizer.sanitize(json("""
                [{"name":"blink","children":[{"type":"text","text":"kept"}]},
                 {"name":"script","children":[{"type":"text","text":"alert(1)"}]},
                 {"name":"iframe","attrs":{"src":"javascript:alert(1)"},"children":[{"type":"text","text":"gone"}]},
                 {"name":"a","attrs":{"href":"javascript:alert(1)"},"children":[{"type":"text","text":"link"}]}]
                """));
        assertThat(nodes).containsExactly(new RichNode.Text("kept"),
                new RichNode.Element("rich-text:a", Map.of(), List.of(), Map.of(), List.of(new RichNode.Text("link"))));
    }

    @Test
    void anHtmlStringIsParsedIntoTheSameNodes() {
        List<RichNode> fromHtml = sanitizer.sanitize(JsonNodeFactory.instance.stringNode(
                "<p class=\"t\" style=\"color:blue;background:url(javascript:alert(1))\" onclick=\"x()\">A &amp; <b>B</b></p><script>alert(1)</script>"
                        + "<img src=x onerror=alert(1)><img src=\"/images/a.png\"><!-- c -->"));
        assertThat(fromHtml).containsExactly(
                new RichNode.Element("rich-text:p", Map.of(), List.of("t"), Map.of("color", "blue"), List.of(new RichNode.Text("A & "),
                        new RichNode.Element("rich-text:b", Map.of(), List.of(), Map.of(), List.of(new RichNode.Text("B"))))),
                new RichNode.Element("rich-text:img", Map.of(), List.of(), Map.of(), List.of()),
                new RichNode.Element("rich-text:img", Map.of("src", "/images/a.png"), List.of(), Map.of(), List.of()));
    }

    @Test
    void otherValuesAreNoNodes() {
        assertThat(sanitizer.sanitize(json("42"))).isEmpty();
        assertThat(sanitizer.sanitize(json("null"))).isEmpty();
        assertThat(sanitizer.sanitize(tools.jackson.databind.node.MissingNode.getInstance())).isEmpty();
        assertThat(sanitizer.sanitize(json("{\"name\":\"span\"}"))).hasSize(1);
        assertThat(sanitizer.sanitize(json("[1, \"x\", {\"type\":\"text\",\"text\":\"t\"}]"))).containsExactly(new RichNode.Text("t"));
    }

    @Test
    void sizeCapsAreEnforced() {
        assertThatThrownBy(() -> sanitizer.sanitize(JsonNodeFactory.instance.stringNode("<b>".repeat(RichTextSanitizer.DEPTH_MAX + 2))))
                .isInstanceOf(ViewOpException.class).hasMessageContaining("deeper than");
        assertThatThrownBy(() -> sanitizer.sanitize(JsonNodeFactory.instance.stringNode("<br>".repeat(RichTextSanitizer.NODES_MAX + 1))))
                .isInstanceOf(ViewOpException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> sanitizer.sanitize(JsonNodeFactory.instance.stringNode("x".repeat(RichTextSanitizer.HTML_CHARS_MAX + 1))))
                .isInstanceOf(ViewOpException.class).hasMessageContaining("chars");
        var deep = JsonNodeFactory.instance.objectNode();
        var cursor = deep;
        for (int i = 0; i < RichTextSanitizer.DEPTH_MAX + 2; i++) {
            cursor = cursor.put("name", "span").putArray("children").addObject();
        }
        assertThatThrownBy(() -> sanitizer.sanitize(deep)).isInstanceOf(ViewOpException.class).hasMessageContaining("deeper than");
        assertThat(sanitizer.sanitize(JsonNodeFactory.instance.stringNode("<br>".repeat(100)))).hasSize(100);
    }
}
