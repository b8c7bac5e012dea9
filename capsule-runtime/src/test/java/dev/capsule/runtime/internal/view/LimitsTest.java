package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.view.ViewLimits;
import org.junit.jupiter.api.Test;

/** Every render bound: a breach is one clear ViewRenderException naming the page and the limit; just under it renders. */
class LimitsTest {

    private static ViewLimits limits(int nodes, int depth, int textChars) {
        return new ViewLimits(ViewLimits.OPS_PER_BATCH_MAX, nodes, textChars, ViewLimits.ATTRIBUTE_VALUE_CHARS_MAX, depth,
                ViewLimits.CLASSES_PER_NODE_MAX, ViewLimits.STYLES_PER_NODE_MAX, ViewLimits.DATASET_PER_NODE_MAX);
    }

    @Test
    void aWxForOverTooManyItemsIsRefused() {
        Fixture ok = Fixture.page("<text wx:for=\"{{n}}\">.</text>");
        ok.open(json("{\"n\":" + ViewEngine.FOR_ITEMS_MAX + "}"));
        assertThat(ok.tree().snapshot().root().children()).hasSize(ViewEngine.FOR_ITEMS_MAX);
        Fixture f = Fixture.page("<text wx:for=\"{{n}}\">.</text>");
        assertThatThrownBy(() -> f.open(json("{\"n\":" + (ViewEngine.FOR_ITEMS_MAX + 1) + "}")))
                .isInstanceOf(ViewRenderException.class)
                .hasMessage("page pages/p/p: a wx:for over more than 10000 items (ViewEngine.FOR_ITEMS_MAX)");
    }

    @Test
    void nodesPerPageAreCapped() {
        Fixture ok = Fixture.page("<view wx:for=\"{{n}}\"/>");
        ok.limits = limits(11, ViewLimits.DEPTH_MAX, ViewLimits.TEXT_CHARS_MAX);
        ok.open(json("{\"n\":10}"));
        Fixture f = Fixture.page("<view wx:for=\"{{n}}\"/>");
        f.limits = limits(11, ViewLimits.DEPTH_MAX, ViewLimits.TEXT_CHARS_MAX);
        f.open(json("{\"n\":1}"));
        f.host.setData(f.page, "n", value("11"));
        assertThatThrownBy(f::flush).isInstanceOf(ViewRenderException.class).hasMessageContaining("nodesPerPageMax");
        // the engine's record of what was sent is now ahead of the backend: the page sends nothing more
        f.host.setData(f.page, "n", value("2"));
        assertThat(f.flush()).isEmpty();
        assertThat(f.tree().version()).isEqualTo(1);
    }

    @Test
    void depthIsCapped() {
        String deep = "<view><view><view><view>x</view></view></view></view>";
        Fixture ok = Fixture.page(deep);
        ok.limits = limits(ViewLimits.NODES_PER_PAGE_MAX, 6, ViewLimits.TEXT_CHARS_MAX); // the root, four views and the text
        ok.open(json("{}"));
        Fixture f = Fixture.page(deep);
        f.limits = limits(ViewLimits.NODES_PER_PAGE_MAX, 5, ViewLimits.TEXT_CHARS_MAX);
        assertThatThrownBy(() -> f.open(json("{}"))).isInstanceOf(ViewRenderException.class)
                .hasMessage("page pages/p/p: elements nested more than 5 deep (ViewLimits.depthMax)");
    }

    @Test
    void textLengthIsCapped() {
        Fixture f = Fixture.page("<text>{{t}}</text>");
        f.limits = limits(ViewLimits.NODES_PER_PAGE_MAX, ViewLimits.DEPTH_MAX, 5);
        f.open(json("{\"t\":\"12345\"}"));
        f.host.setData(f.page, "t", value("\"123456\""));
        assertThatThrownBy(f::flush).isInstanceOf(ViewRenderException.class).hasMessageContaining("textCharsMax");
    }

    @Test
    void aTemplateThatUsesItselfEndsAtTheTemplateDepth() {
        Fixture f = Fixture.page("<template name=\"r\"><view><template is=\"r\" data=\"{{n: n + 1}}\"/></view></template><template is=\"r\" data=\"{{n: 0}}\"/>");
        assertThatThrownBy(() -> f.open(json("{}"))).isInstanceOf(ViewRenderException.class)
                .hasMessageContaining("TEMPLATE_DEPTH_MAX");
    }

    @Test
    void aComponentThatUsesItselfEndsAtTheComponentDepth() {
        Fixture f = Fixture.page("<loop/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"loop\":\"/c/loop\"}}")
                .component("c/loop", "<loop/>", "{\"component\":true,\"usingComponents\":{\"loop\":\"/c/loop\"}}");
        assertThatThrownBy(() -> f.open(json("{}"))).isInstanceOf(ViewRenderException.class)
                .hasMessage("page pages/p/p, component c/loop: components nested more than 64 deep (ViewEngine.COMPONENT_DEPTH_MAX)");
    }

    @Test
    void anObserverLoopBetweenParentAndChildEndsAtTheRenderCap() {
        Fixture f = Fixture.page("<card count=\"{{n}}\"/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"card\":\"/c/card\"}}")
                .component("c/card", "<text>{{count}}</text>", "{\"component\":true}");
        f.host.define(ComponentTest.info("c/card", java.util.Map.of("count", ComponentTest.prop("count", ComponentInfo.PropertyType.NUMBER)),
                ComponentInfo.Options.DEFAULT, java.util.List.of()), json("{}"));
        f.open(json("{\"n\":0}"));
        // the child's observer makes the parent set data, which changes the child's property again, forever
        f.host.onSetProperties = (id, changes) -> f.host.setData(f.page, "n", value(String.valueOf(changes.get("count").asInt() + 1)));
        f.host.setData(f.page, "n", value("1"));
        assertThatThrownBy(f::flush).isInstanceOf(ViewRenderException.class).hasMessageContaining("RENDERS_PER_FLUSH_MAX");
    }
}
