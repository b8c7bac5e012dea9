package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNode;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewSnapshot;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page with a template and a custom component, end to end in both tiers: it renders as validated
 * batches the host holds ({@link MiniProgramSession#view()}), a tap on an element runs the handler its
 * template binds, setData produces the next batch, a component's property follows its owner's data,
 * triggerEvent reaches the page, selectComponent answers export(), WXS runs from the template, and
 * component lifetimes come in WeChat's order.
 */
class ViewSessionTest {
    private static final String ROUTE = "pages/index/index";
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";

    static CapsulePackage app() {
        return TestApps.app(
                "pages/index/index.json", "{\"usingComponents\":{\"counter\":\"/components/counter/counter\"}}",
                "pages/index/index.wxml", """
                        <wxs module="fmt">module.exports = { up: function (s) { return s.toUpperCase(); }, kinds: function () {
                          return [typeof wx, typeof getApp, typeof Date, typeof getDate(0).getTime()].join(','); } };</wxs>
                        <view id="count">{{count}}</view>
                        <button id="add" bindtap="add">add</button>
                        <text id="shout">{{fmt.up(word)}} {{fmt.kinds()}}</text>
                        <counter wx:if="{{show}}" id="c1" value="{{count}}" bind:changed="onChanged"></counter>
                        <button id="hide" bindtap="hide">hide</button>""",
                "pages/index/index.js", LOG + """
                        Page({
                          data: { count: 1, word: 'hi', show: true },
                          onLoad() { log('page onLoad'); },
                          onReady() { log('page onReady', this.selectComponent('#c1'), this.selectAllComponents('counter').length); },
                          add() { this.setData({ count: this.data.count + 1 }); },
                          hide() { this.setData({ show: false }); },
                          onChanged(e) { log('changed', e.type, e.detail); }
                        })""",
                "components/counter/counter.json", "{\"component\":true}",
                "components/counter/counter.wxml", "<view id=\"inner\" bindtap=\"bump\">v{{value}} {{_hidden}}{{shown}}</view>",
                "components/counter/counter.js", LOG + """
                        Component({
                          behaviors: ['wx://component-export'],
                          options: { pureDataPattern: /^_/ },
                          properties: { value: { type: Number, value: 0, observer(now, before) { log('value', before, '->', now); } } },
                          data: { _hidden: 'secret', shown: '!' },
                          lifetimes: {
                            created() { log('created'); },
                            attached() { log('attached', this.data.value); },
                            ready() { log('ready'); },
                            detached() { log('detached'); }
                          },
                          methods: {
                            bump() { this.triggerEvent('changed', { from: this.data.value }); },
                            export() { return { exported: this.is }; }
                          }
                        })""");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aPageRendersAndRespondsToTapsThroughItsTemplateAndComponents(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "view-" + tier)) {
            assertThat(run.session().ended()).isFalse();
            assertThat(run.events().logs()).containsExactly("page onLoad", "created", "value 0 -> 1", "attached 1", "ready",
                    "page onReady {\"exported\":\"components/counter/counter\"} 1");
            ViewSnapshot first = run.session().view().orElseThrow();
            assertThat(text(first, "#count")).isEqualTo("1");
            assertThat(text(first, "#shout")).isEqualTo("HI undefined,undefined,undefined,number");
            assertThat(text(first, "#inner")).as("pure data is not rendered").isEqualTo("v1 !");
            assertThat(run.events().of(RuntimeEvent.View.class)).allSatisfy(v -> assertThat(v.route()).isEqualTo(ROUTE));

            tap(run, first, "#add");
            ViewSnapshot second = run.session().view().orElseThrow();
            assertThat(second.version()).isGreaterThan(first.version());
            assertThat(text(second, "#count")).isEqualTo("2");
            assertThat(text(second, "#inner")).as("the property followed the owner's data").isEqualTo("v2 !");
            assertThat(run.events().logs()).contains("value 1 -> 2");

            tap(run, second, "#inner");
            assertThat(run.events().logs()).contains("changed changed {\"from\":2}");

            tap(run, second, "#hide");
            ViewSnapshot third = run.session().view().orElseThrow();
            assertThat(third.select("#inner")).isEmpty();
            assertThat(run.events().logs()).endsWith("detached");
            assertThat(run.events().violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aViewEventTheHostsTreeDoesNotHoldRunsNothing(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "view-refused-" + tier)) {
            int logs = run.events().logs().size();
            run.session().dispatchView(new ViewEvent(new ViewNodeId(9_999), "tap", StrictJson.mapper().createObjectNode()));
            run.idle();
            assertThat(run.events().logs().subList(logs, run.events().logs().size()))
                    .containsExactly("view event refused: event target #9999 is not an element of this page");
            assertThat(text(run.session().view().orElseThrow(), "#count")).isEqualTo("1");
        }
    }

    /**
     * A WXS call that never returns is stopped by its budget: a cpu violation of that render, which does
     * not end the session; the call renders as nothing and the page still responds.
     */
    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aWxsCallPastItsBudgetIsACpuViolationAndThePageGoesOn(Isolation tier) {
        CapsulePackage pkg = TestApps.app(
                "pages/index/index.wxml", """
                        <wxs module="w">module.exports = { spin: function (on) { while (on) {} return 'never'; } };</wxs>
                        <view id="out">[{{w.spin(spinning)}}]</view><button id="b" bindtap="stop">stop</button>""",
                "pages/index/index.js", "Page({ data: { spinning: true }, stop() { this.setData({ spinning: false }); } })");
        try (var run = Tiers.harness(tier).run(pkg, "wxs-budget-" + tier)) {
            assertThat(run.events().violations()).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.CPU);
                assertThat(v.sessionEnded()).isFalse();
            });
            assertThat(run.session().ended()).isFalse();
            assertThat(text(run.session().view().orElseThrow(), "#out")).as("the stopped call rendered as undefined").isEqualTo("[]");
            tap(run, run.session().view().orElseThrow(), "#b");
            assertThat(text(run.session().view().orElseThrow(), "#out")).isEqualTo("[never]");
        }
    }

    private static void tap(Harness.Run run, ViewSnapshot tree, String selector) {
        List<ViewNodeId> ids = tree.select(selector);
        assertThat(ids).as(selector).hasSize(1);
        run.session().dispatchView(new ViewEvent(ids.getFirst(), "tap", StrictJson.mapper().createObjectNode()));
        run.idle();
    }

    /** The text of the one element a selector matches: its text nodes, depth first. */
    static String text(ViewSnapshot tree, String selector) {
        List<ViewNodeId> ids = tree.select(selector);
        assertThat(ids).as(selector).hasSize(1);
        StringBuilder out = new StringBuilder();
        collect(tree.find(ids.getFirst()).orElseThrow(), out);
        return out.toString().strip();
    }

    private static void collect(ViewNode node, StringBuilder out) {
        switch (node) {
            case ViewNode.Text t -> out.append(t.text());
            case ViewNode.Element e -> e.children().forEach(c -> collect(c, out));
        }
    }
}
