package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ViewEvent;
import dev.capsule.runtime.view.ViewNodeId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Event resolution: phases, catch, mut-bind, marks, dataset, component boundaries, triggerEvent. */
class EventTest {

    private static ViewNodeId node(Fixture f, String selector) {
        List<ViewNodeId> ids = f.tree().select(selector);
        assertThat(ids).as(selector).hasSize(1);
        return ids.getFirst();
    }

    private static void tap(Fixture f, String selector) {
        assertThat(f.engine.dispatch(f.page, new ViewEvent(node(f, selector), "tap", json("{\"x\":3,\"y\":4}")))).isTrue();
    }

    private static List<String> handled(Fixture f) {
        return f.host.logged("handle").stream().map(l -> l.substring("handle ".length())).toList();
    }

    @Test
    void tapBubblesFromTheTargetToTheRootWithWeChatsEventObject() {
        Fixture f = Fixture.page("<view id=\"outer\" bindtap=\"onOuter\" data-level=\"{{1}}\" mark:a=\"outer\" mark:b=\"{{2}}\">"
                + "<view id=\"inner\" bind:tap=\"onInner\" data-item-id=\"x\" mark:a=\"inner\">t</view></view>");
        f.open(json("{}"));
        tap(f, "#inner");
        assertThat(handled(f)).containsExactly("#1 onInner", "#1 onOuter");
        ObjectNode atOuter = f.host.events.get(1);
        assertThat(atOuter.get("type").asString()).isEqualTo("tap");
        assertThat(atOuter.get("target")).isEqualTo(json("{\"id\":\"inner\",\"dataset\":{\"itemId\":\"x\"}}"));
        assertThat(atOuter.get("currentTarget")).isEqualTo(json("{\"id\":\"outer\",\"dataset\":{\"level\":1}}"));
        assertThat(atOuter.get("mark")).isEqualTo(json("{\"a\":\"inner\",\"b\":2}"));
        assertThat(atOuter.get("detail")).isEqualTo(json("{\"x\":3,\"y\":4}"));
        assertThat(atOuter.get("changedTouches").get(0).get("pageX").asInt()).isEqualTo(3);
        assertThat(atOuter.has("timeStamp")).isTrue();
    }

    @Test
    void catchStopsBubblingAndAnEmptyCatchStillStops() {
        Fixture f = Fixture.page("<view bindtap=\"top\"><view catchtap=\"\"><view id=\"a\" bindtap=\"a\"/></view></view>"
                + "<view bindtap=\"top2\"><view catchtap=\"mid\"><view id=\"b\"/></view></view>");
        f.open(json("{}"));
        tap(f, "#a");
        assertThat(handled(f)).containsExactly("#1 a");
        tap(f, "#b");
        assertThat(handled(f)).containsExactly("#1 a", "#1 mid");
    }

    @Test
    void captureRunsRootToTargetBeforeBubbleAndCaptureCatchStopsBoth() {
        Fixture f = Fixture.page("<view capture-bind:tap=\"capOuter\" bindtap=\"bubOuter\">"
                + "<view capture-bind:tap=\"capInner\" bindtap=\"bubInner\"><view id=\"t\" bindtap=\"target\"/></view></view>"
                + "<view capture-catch:tap=\"stop\" bindtap=\"never\"><view id=\"u\" bindtap=\"never2\"/></view>");
        f.open(json("{}"));
        tap(f, "#t");
        assertThat(handled(f)).containsExactly("#1 capOuter", "#1 capInner", "#1 target", "#1 bubInner", "#1 bubOuter");
        f.host.log.clear();
        tap(f, "#u");
        assertThat(handled(f)).containsExactly("#1 stop");
    }

    @Test
    void mutBindRunsOnceAlongThePathWhileBindStillRuns() {
        Fixture f = Fixture.page("<view mut-bind:tap=\"m3\"><view bindtap=\"b2\" mut-bind:tap=\"m2\"><view id=\"t\" mut-bind:tap=\"m1\"/></view></view>");
        f.open(json("{}"));
        tap(f, "#t");
        assertThat(handled(f)).containsExactly("#1 m1", "#1 b2");
    }

    @Test
    void nonBubblingEventsReachOnlyTheirTarget() {
        Fixture f = Fixture.page("<view bindinput=\"outer\" bindtap=\"outerTap\"><input id=\"i\" bindinput=\"onInput\"/></view>");
        f.open(json("{}"));
        f.engine.dispatch(f.page, new ViewEvent(node(f, "#i"), "input", json("{\"value\":\"v\"}")));
        assertThat(handled(f)).containsExactly("#1 onInput");
        assertThat(f.host.events.getFirst().has("touches")).isFalse();
    }

    @Test
    void handlerNamesMayBeBoundAndUnboundNamesCallNothing() {
        Fixture f = Fixture.page("<view id=\"a\" bindtap=\"{{h}}\"/>");
        f.open(json("{\"h\":\"first\"}"));
        tap(f, "#a");
        f.set("h", value("\"second\""));
        tap(f, "#a");
        f.set("h", value("null"));
        tap(f, "#a");
        assertThat(handled(f)).containsExactly("#1 first", "#1 second");
    }

    @Test
    void eventsOnRemovedOrUnknownNodesRunNothing() {
        Fixture f = Fixture.page("<view wx:if=\"{{on}}\" id=\"a\" bindtap=\"h\"/>");
        f.open(json("{\"on\":true}"));
        ViewNodeId a = node(f, "#a");
        f.set("on", value("false"));
        assertThat(f.engine.dispatch(f.page, new ViewEvent(a, "tap", json("{}")))).isFalse();
        assertThat(f.engine.dispatch(new InstanceId(99), new ViewEvent(a, "tap", json("{}")))).isFalse();
        assertThat(handled(f)).isEmpty();
    }

    private static Fixture nested() {
        // WeChat's documented example: a component in another component's slot, both in the page.
        Fixture f = Fixture.page("<another id=\"an\" bindcustomevent=\"pageEventListener1\"><my id=\"my\" bindcustomevent=\"pageEventListener2\"/></another>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"another\":\"/c/another\",\"my\":\"/c/my\"}}")
                .component("c/another", "<view id=\"av\" bindcustomevent=\"anotherEventListener\" bindtap=\"anotherTap\"><slot/></view>",
                        "{\"component\":true}")
                .component("c/my", "<view id=\"mv\" bindcustomevent=\"myEventListener\" bindtap=\"myTap\"><text id=\"deep\">x</text><slot/></view>",
                        "{\"component\":true}");
        f.open(json("{}"));
        return f;
    }

    @Test
    void triggerEventFollowsBubblesAndComposedAsWeChatDocumentsIt() {
        Fixture f = nested();
        InstanceId my = f.engine.select(f.page, "#my", false).getFirst();
        f.engine.triggerEvent(my, "customevent", json("{}"), false, false, false);
        assertThat(handled(f)).containsExactly("#1 pageEventListener2");
        f.host.log.clear();
        f.engine.triggerEvent(my, "customevent", json("{}"), true, false, false);
        assertThat(handled(f)).containsExactly("#1 pageEventListener2", "#1 pageEventListener1");
        f.host.log.clear();
        f.engine.triggerEvent(my, "customevent", json("{\"k\":1}"), true, true, false);
        InstanceId another = f.engine.select(f.page, "#an", false).getFirst();
        assertThat(handled(f)).containsExactly("#1 pageEventListener2", another + " anotherEventListener", "#1 pageEventListener1");
        assertThat(f.host.events.getLast().get("detail")).isEqualTo(json("{\"k\":1}"));
        assertThat(f.host.events.getLast().get("target").get("id").asString()).isEqualTo("my");
    }

    @Test
    void aTapInsideAComponentIsRetargetedToTheHostOutsideIt() {
        Fixture f = nested();
        InstanceId my = f.engine.select(f.page, "#my", false).getFirst();
        InstanceId another = f.engine.select(f.page, "#an", false).getFirst();
        tap(f, "#deep");
        // inside my: its own view; then out to the host #my (in the page), through another's slot and view, then #an
        assertThat(handled(f)).containsExactly(my + " myTap", another + " anotherTap");
        assertThat(f.host.events.get(0).get("target").get("id").asString()).isEqualTo("deep");
        // in another's template the target is the slot the event came through
        assertThat(f.host.events.get(1).get("target").get("id").asString()).isEmpty();
    }

    @Test
    void selectComponentMatchesIdsClassesAndCrossesComponentsOnlyWithDeepCombinator() {
        Fixture f = nested();
        assertThat(f.engine.select(f.page, "#an", false)).hasSize(1);
        assertThat(f.engine.select(f.page, "another #my", true)).hasSize(1);
        assertThat(f.engine.select(f.page, "another > #my", true)).hasSize(1);
        assertThat(f.engine.select(f.page, "#nope", true)).isEmpty();
        InstanceId an = f.engine.select(f.page, "#an", false).getFirst();
        // #my is in the page's template (slotted), not in another's
        assertThat(f.engine.select(an, "#my", true)).isEmpty();
        assertThat(f.engine.owner(f.engine.select(f.page, "#my", false).getFirst())).isEqualTo(f.page);
        assertThat(f.engine.owner(f.page)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.engine.select(f.page, "div:hover", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported component selector");
    }

    @Test
    void deepCombinatorReachesComponentsInsideComponents() {
        Fixture f = Fixture.page("<outer id=\"o\"/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"outer\":\"/c/outer\"}}")
                .component("c/outer", "<view class=\"wrap\"><inner class=\"x\"/></view>", "{\"component\":true,\"usingComponents\":{\"inner\":\"/c/inner\"}}")
                .component("c/inner", "<text>i</text>", "{\"component\":true}");
        f.open(json("{}"));
        assertThat(f.engine.select(f.page, ".x", true)).isEmpty();
        assertThat(f.engine.select(f.page, "#o >>> .x", true)).hasSize(1);
        InstanceId outer = f.engine.select(f.page, "#o", false).getFirst();
        assertThat(f.engine.select(outer, ".wrap .x", true)).hasSize(1);
        assertThat(f.engine.select(outer, ".x", false)).isEqualTo(f.engine.select(f.page, "#o >>> .x", false));
    }

    @Test
    void relationsLinkParentAndChildWhenBothDeclareThem() {
        Fixture f = Fixture.page("<ul id=\"u\"><li/><li/></ul><li/>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"ul\":\"/c/ul\",\"li\":\"/c/li\"}}")
                .component("c/ul", "<view><slot/></view>", "{\"component\":true}")
                .component("c/li", "<text>li</text>", "{\"component\":true}");
        f.host.define(new ComponentInfo("c/ul", Map.of(), List.of(), ComponentInfo.Options.DEFAULT,
                Map.of("./li", new ComponentInfo.Relation("./li", ComponentInfo.RelationType.CHILD, "c/li", null)), List.of()), json("{}"));
        f.host.define(new ComponentInfo("c/li", Map.of(), List.of(), ComponentInfo.Options.DEFAULT,
                Map.of("./ul", new ComponentInfo.Relation("./ul", ComponentInfo.RelationType.PARENT, "c/ul", null)), List.of()), json("{}"));
        f.open(json("{}"));
        InstanceId ul = f.engine.select(f.page, "#u", false).getFirst();
        List<InstanceId> lis = f.engine.select(f.page, "li", true);
        assertThat(lis).hasSize(3);
        assertThat(f.engine.relationNodes(ul, "./li")).containsExactly(lis.get(0), lis.get(1));
        assertThat(f.engine.relationNodes(lis.get(2), "./ul")).isEmpty();
        assertThat(f.host.logged("relation")).contains("relation " + ul + " ./li " + lis.get(0) + " LINKED",
                "relation " + lis.get(0) + " ./ul " + ul + " LINKED");
        f.engine.closePage(f.page);
        assertThat(f.host.logged("relation")).contains("relation " + ul + " ./li " + lis.get(1) + " UNLINKED");
        assertThat(f.host.logged("destroy")).hasSize(4);
    }
}
