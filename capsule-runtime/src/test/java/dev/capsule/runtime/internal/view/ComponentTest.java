package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ViewOp;
import dev.capsule.runtime.view.wxml.StyleIsolation;
import dev.capsule.runtime.view.wxss.StyleSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.MissingNode;

/** Custom components: properties from the parent, lifetimes, slots, classes, relations, selectors. */
class ComponentTest {
    private static final String CARD = "components/card/card";

    static ComponentInfo.Property prop(String name, ComponentInfo.PropertyType type) {
        return new ComponentInfo.Property(name, type, List.of(), MissingNode.getInstance());
    }

    static ComponentInfo info(String path, Map<String, ComponentInfo.Property> props, ComponentInfo.Options options,
            List<String> external) {
        return new ComponentInfo(path, props, external, options, Map.of(), List.of());
    }

    private static Fixture withCard(String pageWxml, String cardWxml) {
        Fixture f = Fixture.page(pageWxml)
                .file("pages/p/p.json", "{\"usingComponents\":{\"card\":\"/components/card/card\"}}")
                .component(CARD, cardWxml, "{\"component\":true}");
        f.host.define(info(CARD, Map.of("title", prop("title", ComponentInfo.PropertyType.STRING),
                "count", prop("count", ComponentInfo.PropertyType.NUMBER)), ComponentInfo.Options.DEFAULT, List.of()), json("{}"));
        return f;
    }

    @Test
    void declaredPropertiesOnlyAreCreatedWithTheirTypes() {
        Fixture f = withCard("<card title=\"{{t}}\" count=\"3\" other=\"x\" my-thing=\"y\"/>", "<text>{{title}}:{{count + 1}}</text>");
        f.open(json("{\"t\":\"Hi\"}"));
        assertThat(f.host.logged("create")).containsExactly("create components/card/card #2 owner #1 {\"title\":\"Hi\",\"count\":3}");
        assertThat(f.view()).isEqualTo("page{card{text{\"Hi:4\"}}}");
    }

    @Test
    void propertyUpdatesFromTheParentReachTheChildOnEveryChange() {
        Fixture f = withCard("<card title=\"{{t}}\" count=\"{{n}}\"/>", "<text>{{title}}/{{count}}</text>");
        f.open(json("{\"t\":\"a\",\"n\":1}"));
        f.set("t", value("\"b\""));
        assertThat(f.host.logged("setProperties")).containsExactly("setProperties #2 {\"title\":\"b\"}");
        assertThat(f.view()).isEqualTo("page{card{text{\"b/1\"}}}");
        f.set("n", value("2"));
        f.set("t", value("\"c\""));
        assertThat(f.view()).isEqualTo("page{card{text{\"c/2\"}}}");
        // the parent re-rendering with the same values tells the child nothing
        List<ViewOp> ops = f.set("unrelated", value("1"));
        assertThat(ops).isEmpty();
        assertThat(f.host.logged("setProperties")).hasSize(3);
    }

    @Test
    void lifetimesRunInOrderAndRemovalDetaches() {
        Fixture f = withCard("<card wx:if=\"{{show}}\" title=\"x\"/>", "<text>{{title}}</text>");
        f.open(json("{\"show\":true}"));
        assertThat(f.host.log).containsExactly(
                "create components/card/card #2 owner #1 {\"title\":\"x\"}",
                "ATTACHED components/card/card #2",
                "READY components/card/card #2");
        f.set("show", value("false"));
        assertThat(f.host.log.subList(3, f.host.log.size())).containsExactly("DETACHED components/card/card #2", "destroy #2");
        assertThat(f.view()).isEqualTo("page");
    }

    @Test
    void keyedMovesTellTheComponentItMoved() {
        Fixture f = withCard("<card wx:for=\"{{xs}}\" wx:key=\"*this\" title=\"{{item}}\"/>", "<text>{{title}}</text>");
        f.open(json("{\"xs\":[\"a\",\"b\",\"c\"]}"));
        f.set("xs", value("[\"c\",\"a\",\"b\"]"));
        assertThat(f.host.logged("MOVED")).containsExactly("MOVED components/card/card #4");
        assertThat(f.view()).isEqualTo("page{card{text{\"c\"}} card{text{\"a\"}} card{text{\"b\"}}}");
    }

    @Test
    void dataSetInALifetimeRendersInTheSameFlush() {
        Fixture f = withCard("<card/>", "<text>{{state}}</text>");
        f.host.onLifetime = (id, lifetime) -> {
            if (lifetime == Lifetime.ATTACHED) {
                f.host.setData(id, "state", value("\"attached\""));
            }
        };
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{card{text{\"attached\"}}}");
        assertThat(f.batches).hasSize(1);
    }

    @Test
    void defaultSlotTakesTheHostsChildren() {
        Fixture f = withCard("<card><text>{{a}}</text>tail</card>", "<view class=\"in\"><slot/></view>");
        f.open(json("{\"a\":\"A\"}"));
        assertThat(f.view()).isEqualTo("page{card{view.in{text{\"A\"} \"tail\"}}}");
        f.set("a", value("\"B\""));
        assertThat(f.view()).isEqualTo("page{card{view.in{text{\"B\"} \"tail\"}}}");
    }

    @Test
    void namedSlotsNeedMultipleSlotsAndUnclaimedContentIsNotRendered() {
        Fixture f = withCard("<card><text slot=\"head\">H</text><text>body</text><text slot=\"nowhere\">N</text></card>",
                "<view class=\"h\"><slot name=\"head\"/></view><view class=\"b\"><slot/></view>");
        f.host.define(info(CARD, Map.of(), new ComponentInfo.Options(true, StyleIsolation.ISOLATED, false, null, false), List.of()),
                json("{}"));
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{card{view.h{text{\"H\"}} view.b{text{\"body\"}}}}");
    }

    @Test
    void withoutMultipleSlotsEverythingGoesToTheFirstSlot() {
        Fixture f = withCard("<card><text slot=\"head\">H</text><text>body</text></card>",
                "<view class=\"h\"><slot name=\"head\"/></view><view class=\"b\"><slot/></view>");
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{card{view.h{text{\"H\"} text{\"body\"}} view.b}}");
    }

    @Test
    void slotContentFollowsConditionsInTheComponent() {
        Fixture f = withCard("<card open=\"{{o}}\"><text>{{a}}</text></card>",
                "<view wx:if=\"{{open}}\" class=\"x\"><slot/></view><view wx:else class=\"y\"><slot/></view>");
        f.host.define(info(CARD, Map.of("open", prop("open", ComponentInfo.PropertyType.BOOLEAN)), ComponentInfo.Options.DEFAULT,
                List.of()), json("{}"));
        f.open(json("{\"o\":true,\"a\":\"1\"}"));
        assertThat(f.view()).isEqualTo("page{card{view.x{text{\"1\"}}}}");
        f.set("o", value("false"));
        assertThat(f.view()).isEqualTo("page{card{view.y{text{\"1\"}}}}");
        f.set("a", value("\"2\""));
        assertThat(f.view()).isEqualTo("page{card{view.y{text{\"2\"}}}}");
    }

    @Test
    void virtualHostRendersNoHostElement() {
        Fixture f = withCard("<view class=\"p\"><card/></view>", "<text>in</text>");
        f.host.define(info(CARD, Map.of(), new ComponentInfo.Options(false, StyleIsolation.ISOLATED, false, null, true), List.of()),
                json("{}"));
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{view.p{text{\"in\"}}}");
    }

    @Test
    void scopeClassesFollowStyleIsolationAndExternalClassesMapToTheOwner() {
        Fixture f = withCard("<card class=\"outer\" my-class=\"red big\"/><view class=\"v\"/>", "<view class=\"my-class own\"/>");
        f.host.define(info(CARD, Map.of(), ComponentInfo.Options.DEFAULT, List.of("my-class")), json("{}"));
        f.open(json("{}"));
        String app = StyleSet.scopeClass("app");
        String page = StyleSet.scopeClass("pages/p/p");
        String card = StyleSet.scopeClass(CARD);
        assertThat(f.viewWithScopes()).isEqualTo("page." + StyleSet.PAGE_ROOT_CLASS + "." + app + "." + page
                + "{card.outer." + StyleSet.hostClass(CARD) + "." + app + "." + page
                + "{view.red.big." + app + "." + page + ".own._capsule-view." + card + "}"
                + " view.v._capsule-view." + app + "." + page + "}");
    }

    @Test
    void applySharedComponentsCarryThePageAndAppScopes() {
        Fixture f = withCard("<card/>", "<view class=\"own\"/>");
        f.host.define(info(CARD, Map.of(), new ComponentInfo.Options(false, StyleIsolation.APPLY_SHARED, false, null, false),
                List.of()), json("{}"));
        f.open(json("{}"));
        assertThat(f.viewWithScopes()).contains("view.own._capsule-view." + StyleSet.scopeClass(CARD) + "." + StyleSet.scopeClass("app")
                + "." + StyleSet.scopeClass("pages/p/p"));
    }

    private static final String TAG = "components/tag/tag";

    /** A page using card (with the given styleIsolation) after a view and before a tag component (with its own). */
    private static Fixture sharing(StyleIsolation card, StyleIsolation tag) {
        Fixture f = Fixture.page("<view class=\"before\"/><card/><tag/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"card\":\"/components/card/card\",\"tag\":\"/components/tag/tag\"}}")
                .component(CARD, "<view class=\"c\"/>", "{\"component\":true}")
                .component(TAG, "<view class=\"t\"/>", "{\"component\":true}");
        f.host.define(info(CARD, Map.of(), new ComponentInfo.Options(false, card, false, null, false), List.of()), json("{}"));
        f.host.define(info(TAG, Map.of(), new ComponentInfo.Options(false, tag, false, null, false), List.of()), json("{}"));
        f.open(json("{}"));
        return f;
    }

    @Test
    void aSharedComponentsScopeIsPutOnThePageAndOnApplySharedComponents() {
        String card = StyleSet.scopeClass(CARD);
        Fixture f = sharing(StyleIsolation.SHARED, StyleIsolation.APPLY_SHARED);
        String view = f.viewWithScopes();
        // the page element rendered before the component was created carries its scope too, so the
        // card's compiled `.before.<card scope>` rule styles it
        assertThat(view).contains("view.before._capsule-view." + StyleSet.scopeClass("app") + "." + StyleSet.scopeClass("pages/p/p")
                + "." + card + " ");
        assertThat(view).contains("view.t._capsule-view." + StyleSet.scopeClass(TAG) + "." + StyleSet.scopeClass("app")
                + "." + StyleSet.scopeClass("pages/p/p") + "." + card + "}");
        // an isolated component's elements do not take it
        assertThat(sharing(StyleIsolation.SHARED, StyleIsolation.ISOLATED).viewWithScopes())
                .contains("view.t._capsule-view." + StyleSet.scopeClass(TAG) + "}");
    }

    @Test
    void isolatedAndApplySharedComponentsDoNotStyleThePage() {
        for (StyleIsolation isolation : List.of(StyleIsolation.ISOLATED, StyleIsolation.APPLY_SHARED)) {
            Fixture f = sharing(isolation, StyleIsolation.APPLY_SHARED);
            String view = f.viewWithScopes();
            assertThat(view).contains("view.c._capsule-view." + StyleSet.scopeClass(CARD));
            // the card's scope is on its own element only (its host carries its host class, scope + "-host")
            assertThat(view.replace("view.c._capsule-view." + StyleSet.scopeClass(CARD), ""))
                    .doesNotContainPattern(java.util.regex.Pattern.quote(StyleSet.scopeClass(CARD)) + "(?!-host)");
        }
    }

    /** The sharing page above, its json declaring the page's own styleIsolation (a page-* mode). */
    private static Fixture sharingOnAPage(String pageIsolation) {
        Fixture f = Fixture.page("<view class=\"before\"/><card/>")
                .file("pages/p/p.json", "{\"styleIsolation\":\"" + pageIsolation + "\",\"usingComponents\":{\"card\":\"/components/card/card\"}}")
                .component(CARD, "<view class=\"c\"/>", "{\"component\":true}");
        f.host.define(info(CARD, Map.of(), new ComponentInfo.Options(false, StyleIsolation.SHARED, false, null, false), List.of()), json("{}"));
        f.open(json("{}"));
        return f;
    }

    @Test
    void thePageStarModesTurnAppWxssOffOnThePageAndDecideWhatCrossesBetweenPageAndComponents() {
        String app = StyleSet.scopeClass("app");
        String page = StyleSet.scopeClass("pages/p/p");
        String card = StyleSet.scopeClass(CARD);
        // page-isolated: no app.wxss on the page, the page's rules stay off the shared card, the card's off the page
        String isolated = sharingOnAPage("page-isolated").viewWithScopes();
        assertThat(isolated).contains("view.before._capsule-view." + page + " ").doesNotContain("view.before._capsule-view." + app);
        assertThat(isolated).contains("view.c._capsule-view." + card + "." + app + "}");
        // page-apply-shared: the shared card's rules reach the page; the page's still do not reach the card
        String applyShared = sharingOnAPage("page-apply-shared").viewWithScopes();
        assertThat(applyShared).contains("view.before._capsule-view." + page + "." + card + " ");
        assertThat(applyShared).contains("view.c._capsule-view." + card + "." + app + "}");
        // page-shared: both ways
        String shared = sharingOnAPage("page-shared").viewWithScopes();
        assertThat(shared).contains("view.before._capsule-view." + page + "." + card + " ");
        assertThat(shared).contains("view.c._capsule-view." + card + "." + app + "." + page + "}");
        // the default (no page-* mode) keeps app.wxss on the page
        assertThat(sharing(StyleIsolation.SHARED, StyleIsolation.APPLY_SHARED).viewWithScopes())
                .contains("view.before._capsule-view." + app + "." + page);
    }

    @Test
    void guestClassTokensCannotUseCapsulesReservedPrefix() {
        Fixture f = Fixture.page("<view class=\"ok _capsule-page {{x}}\"/>");
        f.open(json("{\"x\":\"_capsule-abc\"}"));
        assertThat(f.view()).isEqualTo("page{view.ok}");
        assertThat(f.viewWithScopes()).doesNotContain("_capsule-abc").containsOnlyOnce(StyleSet.PAGE_ROOT_CLASS);
    }

    @Test
    void componentGenericsRenderWhatTheHostChose() {
        Fixture f = Fixture.page("<list generic:item=\"fancy\"/><list/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"list\":\"/c/list\",\"fancy\":\"/c/fancy\"}}")
                .component("c/list", "<item/>", "{\"component\":true,\"componentGenerics\":{\"item\":{\"default\":\"/c/plain\"}}}")
                .component("c/fancy", "<text>fancy</text>", "{\"component\":true}")
                .component("c/plain", "<text>plain</text>", "{\"component\":true}");
        f.open(json("{}"));
        assertThat(f.view()).isEqualTo("page{list{item{text{\"fancy\"}}} list{item{text{\"plain\"}}}}");
    }

    @Test
    void pageLifetimesReachEveryComponentOfThePage() {
        Fixture f = withCard("<card/><card/>", "<text>c</text>");
        f.open(json("{}"));
        f.engine.pageLifetime(f.page, "show", null);
        assertThat(f.host.logged("pageLifetime")).containsExactly("pageLifetime show #2", "pageLifetime show #3");
        f.engine.pageLifetime(new InstanceId(77), "show", null);
        assertThat(f.host.logged("pageLifetime")).hasSize(2);
    }
}
