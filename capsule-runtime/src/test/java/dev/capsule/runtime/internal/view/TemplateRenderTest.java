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
}
