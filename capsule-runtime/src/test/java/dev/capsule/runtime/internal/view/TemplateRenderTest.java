package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ViewOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each template feature renders to, through real ops applied to a real view tree. */
class TemplateRenderTest {

    @Test
    void textAndElementsRenderWithBoundValues() {
        Fixture f = Fixture.page("<view id=\"a\" class=\"x {{cls}}\">Hello {{name}}!</view><text>{{missing.path}}</text>");
        List<ViewOp> ops = f.open(json("{\"name\":\"Ann\",\"cls\":\"y\"}"));
        assertThat(f.view()).isEqualTo("page{view id=a.x.y{\"Hello Ann!\"} text{\"\"}}");
        assertThat(ops).hasOnlyElementsOfTypes(ViewOp.CreateElement.class, ViewOp.CreateText.class, ViewOp.SetAttribute.class,
                ViewOp.SetClass.class, ViewOp.Insert.class);
    }

    @Test
    void wxIfChainsRenderTheFirstTruthyBranch() {
        Fixture f = Fixture.page("<view wx:if=\"{{n > 1}}\">big</view><view wx:elif=\"{{n == 1}}\">one</view><view wx:else>none</view>");
        f.open(json("{\"n\":1}"));
        assertThat(f.view()).isEqualTo("page{view{\"one\"}}");
        f.set("n", value("5"));
        assertThat(f.view()).isEqualTo("page{view{\"big\"}}");
        f.set("n", value("0"));
        assertThat(f.view()).isEqualTo("page{view{\"none\"}}");
    }

    @Test
    void wxForIteratesArraysObjectsStringsAndNumbersAsWeChat() {
        Fixture f = Fixture.page("<text wx:for=\"{{list}}\" wx:for-item=\"it\" wx:for-index=\"i\">{{i}}={{it}};</text>");
        f.open(json("{\"list\":[\"a\",\"b\"]}"));
        assertThat(f.view()).isEqualTo("page{text{\"0=a;\"} text{\"1=b;\"}}");
        f.set("list", value("{\"x\":1,\"y\":2}"));
        assertThat(f.view()).isEqualTo("page{text{\"x=1;\"} text{\"y=2;\"}}");
        f.set("list", value("\"hi\""));
        assertThat(f.view()).isEqualTo("page{text{\"0=h;\"} text{\"1=i;\"}}");
        f.set("list", value("3"));
        assertThat(f.view()).isEqualTo("page{text{\"0=0;\"} text{\"1=1;\"} text{\"2=2;\"}}");
        f.set("list", value("null"));
        assertThat(f.view()).isEqualTo("page");
    }

    @Test
    void templatesWithDataAndBlocksAndHidden() {
        Fixture f = Fixture.page("<template name=\"item\"><text>{{a}}-{{b}}</text></template>"
                + "<block wx:for=\"{{[1,2]}}\"><template is=\"item\" data=\"{{a: item, b: title}}\"/></block>"
                + "<view hidden=\"{{hide}}\">h</view>");
        f.open(json("{\"title\":\"t\",\"hide\":true}"));
        assertThat(f.view()).isEqualTo("page{text{\"1-t\"} text{\"2-t\"} view hidden=true{\"h\"}}");
        f.set("hide", value("false"));
        assertThat(f.view()).isEqualTo("page{text{\"1-t\"} text{\"2-t\"} view{\"h\"}}");
    }

    @Test
    void styleDatasetAndUnknownAttributes() {
        Fixture f = Fixture.page("<view style=\"color: {{c}}; behavior: url(x); width: 10px\" data-user-id=\"{{7}}\" onclick=\"evil()\" bogus=\"1\">x</view>");
        f.open(json("{\"c\":\"red\"}"));
        assertThat(f.view()).isEqualTo("page{view({color=red, width=10px}){userId=7}{\"x\"}}");
    }

    @Test
    void aPickersJsonAttributesTakeArraysNumbersAndPlainStringsAsJsonText() {
        Fixture f = Fixture.page("<picker mode=\"selector\" range=\"{{levels}}\" value=\"{{1}}\">a</picker>"
                + "<picker mode=\"date\" value=\"{{due}}\">b</picker><picker mode=\"selector\" value=\"[0]\">c</picker>");
        f.open(json("{\"levels\":[\"Low\",\"High\"],\"due\":\"2026-12-07\"}"));
        assertThat(f.view()).isEqualTo("page{picker mode=selector range=[\"Low\",\"High\"] value=1{\"a\"} "
                + "picker mode=date value=\"2026-12-07\"{\"b\"} picker mode=selector value=[0]{\"c\"}}");
    }

    @Test
    void includeRendersTheFileInTheIncludersDataAndImportedTemplatesAreVisible() {
        Fixture f = Fixture.page("<import src=\"/common/t.wxml\"/><include src=\"/common/header.wxml\"/><template is=\"shared\" data=\"{{v: 2}}\"/>")
                .file("common/header.wxml", "<view class=\"header\">{{title}}</view>")
                .file("common/t.wxml", "<template name=\"shared\"><text>v{{v}}</text></template>");
        f.open(json("{\"title\":\"T\"}"));
        assertThat(f.view()).isEqualTo("page{view.header{\"T\"} text{\"v2\"}}");
    }

    @Test
    void wxsCallsGoToTheHostsCallerForTheTemplatesFile() {
        Fixture f = Fixture.page("<wxs module=\"m\">module.exports = {};</wxs><text>{{m.upper(name)}} {{m.twice(2)}} {{m.nothing()}}</text>");
        f.open(json("{\"name\":\"ann\"}"));
        assertThat(f.view()).isEqualTo("page{text{\"ANN 4 \"}}");
    }

    /** WeChat: {@code module.exports.msg = "hello"} then {@code {{foo.msg}}}; a module name is the module, not a data field. */
    @Test
    void wxsModuleNamesReadTheModulesExportedData() {
        Fixture f = Fixture.page("<wxs module=\"m\">module.exports = {};</wxs>"
                + "<text>{{m.label}}|{{m.obj.x}}|{{m['n'] + 1}}|{{m.upper}}|{{other.label}}|{{nothing.label}}</text>");
        f.open(json("{\"m\":{\"label\":\"data\"},\"other\":{\"label\":\"data-other\"}}"));
        assertThat(f.view()).isEqualTo("page{text{\"from m|deep|4||data-other|\"}}");
    }

    /** glass-easel's scopes: a wx:for item shadows a module of the same name, as it shadows data. */
    @Test
    void aWxForItemShadowsAWxsModuleOfTheSameName() {
        Fixture f = Fixture.page("<wxs module=\"m\">module.exports = {};</wxs>"
                + "<text wx:for=\"{{list}}\" wx:for-item=\"m\">{{m.label}};</text><text>{{m.label}}</text>");
        f.open(json("{\"list\":[{\"label\":\"item\"}]}"));
        assertThat(f.view()).isEqualTo("page{text{\"item;\"} text{\"from m\"}}");
    }

    /** rich-text's nodes (a node list or an HTML string) render as allowlisted children: text stays text, the rest goes. */
    @Test
    void richTextNodesRenderAsSanitizedChildren() {
        Fixture f = Fixture.page("<rich-text nodes=\"{{nodes}}\"><view>ignored</view></rich-text><rich-text nodes=\"{{html}}\"/>");
        f.open(json("""
                {"nodes": [{"name": "p", "attrs": {"class": "lead _capsule-x", "style": "color: red; behavior: url(x)", "onclick": "alert(1)"},
                            "children": [{"type": "text", "text": "<b>not markup</b> "}, {"name": "b", "children": [{"type": "text", "text": "bold"}]}]},
                           {"name": "script", "children": [{"type": "text", "text": "alert(2)"}]},
                           {"name": "a", "attrs": {"href": "javascript:alert(3)"}, "children": [{"type": "text", "text": "link"}]}],
                 "html": "<i>from</i> html<img src=x onerror=alert(4)>"}"""));
        assertThat(f.view()).isEqualTo("page{rich-text{rich-text:p.lead({color=red}){\"<b>not markup</b> \" rich-text:b{\"bold\"}} rich-text:a{\"link\"}}"
                + " rich-text{rich-text:i{\"from\"} \" html\" rich-text:img}}");
    }

    @Test
    void richTextNodesAreDiffedLikeChildren() {
        Fixture f = Fixture.page("<rich-text nodes=\"{{nodes}}\"/>");
        f.open(json("{\"nodes\": [{\"name\": \"p\", \"children\": [{\"type\": \"text\", \"text\": \"one\"}]}, {\"name\": \"hr\"}]}"));
        List<ViewOp> ops = f.set("nodes", value("[{\"name\": \"p\", \"children\": [{\"type\": \"text\", \"text\": \"two\"}]}]"));
        assertThat(f.view()).isEqualTo("page{rich-text{rich-text:p{\"two\"}}}");
        assertThat(ops).hasSize(2).hasOnlyElementsOfTypes(ViewOp.SetText.class, ViewOp.Remove.class);
        assertThat(f.set("nodes", value("\"plain\""))).hasSize(3); // remove p, create and insert the text
        assertThat(f.view()).isEqualTo("page{rich-text{\"plain\"}}");
        f.set("nodes", value("null"));
        assertThat(f.view()).isEqualTo("page{rich-text}");
    }

    @Test
    void richTextNodesPastTheSanitizersCapsFailTheRender() {
        Fixture ok = Fixture.page("<rich-text nodes=\"{{nodes}}\"/>");
        ok.open(json("{\"nodes\": \"" + "<span>".repeat(dev.capsule.runtime.view.RichTextSanitizer.DEPTH_MAX - 2) + "x\"}"));
        assertThat(ok.view()).contains("\"x\"");
        Fixture f = Fixture.page("<rich-text nodes=\"{{nodes}}\"/>");
        // an HTML string: session data itself is nested 32 deep at most, HTML is not
        String deep = "<span>".repeat(dev.capsule.runtime.view.RichTextSanitizer.DEPTH_MAX + 2);
        String data = "{\"nodes\": \"" + deep + "\"}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.open(json(data)))
                .isInstanceOf(ViewRenderException.class).hasMessageContaining("rich-text nodes").hasMessageContaining("deeper than");
    }

    @Test
    void pureDataFieldsAreNotVisibleToTheTemplate() {
        Fixture f = Fixture.page("<card/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"card\":\"/c/card\"}}")
                .component("c/card", "<text>{{_secret}}|{{shown}}</text>", "{\"component\":true}");
        f.host.define(new ComponentInfo("c/card", java.util.Map.of(), List.of(),
                new ComponentInfo.Options(false, dev.capsule.runtime.view.wxml.StyleIsolation.ISOLATED, false, "^_", false),
                java.util.Map.of(), List.of()), json("{\"_secret\":\"s\",\"shown\":\"v\"}"));
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{card{text{\"|v\"}}}");
    }

    @Test
    void imageSourcesResolveAgainstTheTemplateAndOnlyPackageAssetsSurvive() {
        Fixture f = Fixture.page("<image class=\"a\" src=\"../../img/a.png\"/><image class=\"b\" src=\"{{evil}}\"/><image class=\"c\" src=\"https://x.example/a.png\"/>");
        f.open(json("{\"evil\":\"javascript:alert(1)\"}"));
        assertThat(f.view()).isEqualTo("page{image src=/img/a.png.a image.b image.c}");
    }

    @Test
    void booleanAttributesFollowJavaScriptTruthinessAndUnsetOnesAreRemoved() {
        Fixture f = Fixture.page("<button disabled=\"{{d}}\" type=\"{{t}}\">b</button>");
        f.open(json("{\"d\":1,\"t\":\"primary\"}"));
        assertThat(f.view()).isEqualTo("page{button disabled=true type=primary{\"b\"}}");
        List<ViewOp> ops = f.set("d", value("0"));
        assertThat(ops).containsExactly(new ViewOp.SetAttribute(f.tree().select("button").getFirst(), "disabled", null));
        f.set("t", value("\"bogus\""));
        assertThat(f.view()).isEqualTo("page{button{\"b\"}}");
    }

    @Test
    void textTargetsResolveToTheirElement() {
        Fixture f = Fixture.page("<view id=\"v\" bindtap=\"h\">text</view>");
        f.open(json("{}"));
        var text = f.tree().snapshot().root().children().getFirst();
        var inner = ((dev.capsule.runtime.view.ViewNode.Element) text).children().getFirst();
        assertThat(f.engine.dispatch(f.page, new dev.capsule.runtime.view.ViewEvent(inner.id(), "tap", json("{}")))).isTrue();
        assertThat(f.host.logged("handle")).containsExactly("handle #1 h");
    }
}
