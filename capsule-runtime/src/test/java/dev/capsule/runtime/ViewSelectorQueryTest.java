package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.view.ViewNode;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code wx.createSelectorQuery} / {@code this.createSelectorQuery} and {@code wx.createAnimation}, the
 * same in both tiers: a query answers id, dataset and properties from the view, scoped to the page or to
 * the component given to {@code .in()} (or whose method made it), {@code null}/{@code []} for no match,
 * and the layout fields with an errMsg (no host here lays out); an animation's export() bound to an
 * element's {@code animation} attribute becomes checked styles and transitions on it.
 */
class ViewSelectorQueryTest {
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";
    private static final String NO_LAYOUT = "needs a layout host: positions, sizes and scroll offsets are known only where the page is "
            + "laid out, and this host renders without layout";

    static CapsulePackage app() {
        return TestApps.app(
                "pages/index/index.json", "{\"usingComponents\":{\"card\":\"/components/card/card\"}}",
                "pages/index/index.wxml", """
                        <view id="a" class="row" data-item-id="{{7}}" data-name="x">A</view>
                        <view class="row" data-n="2">B</view>
                        <card id="c1" title="{{title}}"></card>
                        <input id="in" value="typed"/>
                        <view id="anim" animation="{{anim}}" style="color: red">anim</view>""",
                "pages/index/index.js", LOG + """
                        Page({
                          data: { title: 'T', anim: null },
                          query() {
                            wx.createSelectorQuery()
                              .select('#a').fields({ id: true, dataset: true }, r => log('one', r))
                              .selectAll('.row').fields({ id: true, dataset: true })
                              .select('#missing').fields({ id: true })
                              .selectAll('.none').fields({ id: true })
                              .select('#c1').fields({ id: true, properties: ['title', 'nope'] })
                              .select('#in').fields({ properties: ['value'] })
                              .select('#inner').fields({ id: true })
                              .select('#c1 >>> #inner').fields({ id: true })
                              .exec(res => log('all', res));
                            log('exec returned');
                          },
                          scoped() {
                            const card = this.selectComponent('#c1');
                            card.q();
                            wx.createSelectorQuery().in(card).select('.row').fields({ id: true }).exec(res => log('in', res));
                            this.createSelectorQuery().select('.row').fields({ id: true }).exec(res => log('page own', res));
                          },
                          layout() {
                            wx.createSelectorQuery()
                              .select('#a').boundingClientRect(r => log('rect', r))
                              .selectViewport().scrollOffset()
                              .select('#missing').boundingClientRect()
                              .select('#a').node()
                              .select('#a').fields({ id: true, computedStyle: ['color'], context: true })
                              .exec(res => log('layout', res));
                          },
                          bad() {
                            const f = (what, fn) => { try { fn(); log(what, 'no throw'); } catch (e) { log(what, e instanceof Error, e.message); } };
                            f('selector', () => wx.createSelectorQuery().select('a[b]').fields({ id: true }).exec());
                            f('in', () => wx.createSelectorQuery().in({}));
                            f('many', () => { const q = wx.createSelectorQuery(); for (let i = 0; i < 65; i++) q.select('#a').fields({ id: true }); q.exec(); });
                            log('can', wx.canIUse('createSelectorQuery'), wx.canIUse('createAnimation'));
                          },
                          animate() {
                            const a = wx.createAnimation({ duration: 200, timingFunction: 'ease' });
                            a.opacity(0.5).translateX(10).rotate(45).step();
                            a.width(100).backgroundColor('#ff0000').step({ duration: 100, delay: 50 }); // the animation's timing function
                            this.setData({ anim: a.export() });
                            log('after export', a.export());
                            log('shape', wx.createAnimation().opacity(1).step().export());
                          },
                          animateBad() {
                            this.setData({ anim: wx.createAnimation().rotate('x').step().export() });
                          }
                        })""",
                "components/card/card.json", "{\"component\":true}",
                "components/card/card.wxml", "<view id=\"inner\" class=\"row\" data-k=\"in\">{{title}}</view>",
                "components/card/card.js", LOG + """
                        Component({
                          properties: { title: String },
                          methods: {
                            q() { this.createSelectorQuery().select('.row').fields({ id: true, dataset: true }).exec(res => log('component', res)); }
                          }
                        })""");
    }

    private static Harness.Run run(Isolation tier, String user) {
        return Tiers.harness(tier).run(app(), user + "-" + tier);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void execAnswersIdDatasetAndPropertiesFromTheViewAfterItReturns(Isolation tier) {
        try (var run = run(tier, "query")) {
            run.dispatch("query", "{}");
            assertThat(run.events().logs()).containsSubsequence("exec returned", "one {\"id\":\"a\",\"dataset\":{\"itemId\":7,\"name\":\"x\"}}",
                    "all [{\"id\":\"a\",\"dataset\":{\"itemId\":7,\"name\":\"x\"}},"
                            + "[{\"id\":\"a\",\"dataset\":{\"itemId\":7,\"name\":\"x\"}},{\"id\":\"\",\"dataset\":{\"n\":\"2\"}}],"
                            + "null,[],{\"id\":\"c1\",\"title\":\"T\"},{\"value\":\"typed\"},null,{\"id\":\"inner\"}]");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aQueryIsScopedToTheComponentItIsIn(Isolation tier) {
        try (var run = run(tier, "scoped")) {
            run.dispatch("scoped", "{}");
            assertThat(run.events().logs()).contains("component [{\"id\":\"inner\",\"dataset\":{\"k\":\"in\"}}]",
                    "in [{\"id\":\"inner\"}]", "page own [{\"id\":\"a\"}]");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void layoutFieldsFailWithTheirReasonWithoutALayoutHost(Isolation tier) {
        try (var run = run(tier, "layout")) {
            run.dispatch("layout", "{}");
            String rect = "{\"id\":\"a\",\"dataset\":{\"itemId\":7,\"name\":\"x\"},\"errMsg\":\"selectorQuery:fail rect, size: " + NO_LAYOUT + "\"}";
            assertThat(run.events().logs()).contains("rect " + rect, "layout [" + rect + ","
                    + "{\"id\":\"\",\"dataset\":{},\"errMsg\":\"selectorQuery:fail scrollOffset: " + NO_LAYOUT + "\"},null,"
                    + "{\"errMsg\":\"selectorQuery:fail node: node objects are not built: Capsule has no canvas, and scroll-view "
                    + "contexts need a layout host\"},"
                    + "{\"id\":\"a\",\"errMsg\":\"selectorQuery:fail context: node objects are not built: Capsule has no canvas, and "
                    + "scroll-view contexts need a layout host; computedStyle: computed styles need a layout host: the cascade is computed "
                    + "only where the page is laid out\"}]");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aBadSelectorAScopeThatIsNoInstanceAndTooManyRequestsThrowTheirReason(Isolation tier) {
        try (var run = run(tier, "bad")) {
            run.dispatch("bad", "{}");
            assertThat(run.events().logs()).contains(
                    "selector true createSelectorQuery:fail a[b]: unsupported component selector at character 2 "
                            + "(supported: tag, #id, .class, descendant, >, >>>, comma)",
                    "in true in() takes a page or component instance",
                    "many true createSelectorQuery:fail parameter error: requests must be a list of at most 64",
                    "can true true");
            assertThat(run.session().exitCode()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aQueryBeforeAnyPageIsShownThrowsItsReason(Isolation tier) {
        CapsulePackage early = TestApps.app("app.js", """
                App({ onLaunch() {
                  try { wx.createSelectorQuery().select('#a').fields({ id: true }).exec(() => console.log('answered')); }
                  catch (e) { console.log('launch ' + e.message); }
                } })""", "pages/index/index.wxml", "<view id=\"a\">a</view>");
        try (var run = Tiers.harness(tier).run(early, "early-" + tier)) {
            assertThat(run.events().logs()).contains("launch createSelectorQuery:fail no page is shown").doesNotContain("answered");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anAnimationsExportBecomesStylesAndTransitionsOnItsElement(Isolation tier) {
        try (var run = run(tier, "animate")) {
            assertThat(style(run.session().view().orElseThrow())).containsExactly(Map.entry("color", "red"));
            run.dispatch("animate", "{}");
            assertThat(run.events().logs()).contains("after export {\"actions\":[]}",
                    "shape {\"actions\":[{\"animates\":[{\"type\":\"style\",\"args\":[\"opacity\",1]}],"
                            + "\"option\":{\"transition\":{\"duration\":400,\"timingFunction\":\"linear\",\"delay\":0},\"transformOrigin\":\"50% 50% 0\"}}]}");
            assertThat(style(run.session().view().orElseThrow())).containsExactly(Map.entry("color", "red"), Map.entry("opacity", "0.5"),
                    Map.entry("transform", "translateX(10px) rotate(45deg)"), Map.entry("transform-origin", "50% 50% 0"),
                    Map.entry("width", "100px"), Map.entry("background-color", "#ff0000"),
                    Map.entry("transition", "opacity 200ms ease 0ms,transform 200ms ease 0ms,width 100ms ease 250ms,"
                            + "background-color 100ms ease 250ms"));
            // An export the mapping refuses means no animation: the element keeps only its own style.
            run.dispatch("animateBad", "{}");
            assertThat(style(run.session().view().orElseThrow())).containsExactly(Map.entry("color", "red"));
        }
    }

    private static Map<String, String> style(ViewSnapshot view) {
        List<ViewNodeId> ids = view.select("#anim");
        assertThat(ids).hasSize(1);
        return ((ViewNode.Element) view.find(ids.getFirst()).orElseThrow()).style();
    }
}
