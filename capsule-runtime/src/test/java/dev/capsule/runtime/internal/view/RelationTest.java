package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code relations} over the rendered (composed) tree, and {@code linkChanged} on keyed moves. */
class RelationTest {
    private static final ComponentInfo.Relation CHILD_LI = new ComponentInfo.Relation("./li", ComponentInfo.RelationType.CHILD, "c/li", null);
    private static final ComponentInfo.Relation PARENT_UL = new ComponentInfo.Relation("./ul", ComponentInfo.RelationType.PARENT, "c/ul", null);

    private static ComponentInfo info(String path, Map<String, ComponentInfo.Relation> relations) {
        return new ComponentInfo(path, Map.of(), List.of(), ComponentInfo.Options.DEFAULT, relations, List.of());
    }

    /** A page whose li sits in box's light children; box's template puts its slot inside a ul. */
    private static Fixture slotted(boolean ulDeclaresChild) {
        Fixture f = Fixture.page("<box id=\"b\"><li/></box>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"box\":\"/c/box\",\"li\":\"/c/li\"}}")
                .component("c/box", "<ul id=\"u\"><slot/></ul>", "{\"component\":true,\"usingComponents\":{\"ul\":\"/c/ul\"}}")
                .component("c/ul", "<view><slot/></view>", "{\"component\":true}")
                .component("c/li", "<text>li</text>", "{\"component\":true}");
        f.host.define(info("c/box", Map.of()), json("{}"));
        f.host.define(info("c/ul", ulDeclaresChild ? Map.of("./li", CHILD_LI) : Map.of()), json("{}"));
        f.host.define(info("c/li", Map.of("./ul", PARENT_UL)), json("{}"));
        f.open(json("{}"));
        return f;
    }

    @Test
    void aComponentPlacedThroughASlotRelatesToTheComponentWhoseSlotHoldsIt() {
        Fixture f = slotted(true);
        InstanceId ul = f.engine.select(f.page, "#b >>> #u", false).getFirst();
        InstanceId li = f.engine.select(f.page, "li", false).getFirst();
        // in the template tree li's nearest component is box (no relation); rendered, it is inside ul
        assertThat(f.engine.relationNodes(ul, "./li")).containsExactly(li);
        assertThat(f.engine.relationNodes(li, "./ul")).containsExactly(ul);
        assertThat(f.host.logged("relation")).containsExactly("relation " + ul + " ./li " + li + " LINKED",
                "relation " + li + " ./ul " + ul + " LINKED");
    }

    @Test
    void noLinkWhenOnlyOneSideDeclaresTheRelation() {
        Fixture f = slotted(false);
        InstanceId li = f.engine.select(f.page, "li", false).getFirst();
        assertThat(f.engine.relationNodes(li, "./ul")).isEmpty();
        assertThat(f.host.logged("relation")).isEmpty();
    }

    private static Fixture list() {
        Fixture f = Fixture.page("<ul id=\"u\"><li wx:for=\"{{xs}}\" wx:key=\"*this\"/></ul>")
                .file("pages/p/p.json", "{\"usingComponents\":{\"ul\":\"/c/ul\",\"li\":\"/c/li\"}}")
                .component("c/ul", "<view><slot/></view>", "{\"component\":true}")
                .component("c/li", "<text>li</text>", "{\"component\":true}");
        f.host.define(info("c/ul", Map.of("./li", CHILD_LI)), json("{}"));
        f.host.define(info("c/li", Map.of("./ul", PARENT_UL)), json("{}"));
        f.open(json("{\"xs\":[1,2,3]}"));
        return f;
    }

    @Test
    void aLinkedChildMovedByAKeyedListGetsLinkChangedOnBothSides() {
        Fixture f = list();
        InstanceId ul = f.engine.select(f.page, "#u", false).getFirst();
        List<InstanceId> lis = f.engine.select(f.page, "li", true);
        f.set("xs", value("[3,1,2]"));
        List<String> moved = f.host.logged(Lifetime.MOVED.toString());
        assertThat(moved).isNotEmpty();
        List<String> changed = f.host.logged("relation").stream().filter(l -> l.endsWith("LINK_CHANGED")).toList();
        assertThat(changed).hasSize(2 * moved.size());
        for (String m : moved) {
            String li = m.substring(m.lastIndexOf(' ') + 1);
            assertThat(changed).contains("relation " + ul + " ./li " + li + " LINK_CHANGED", "relation " + li + " ./ul " + ul + " LINK_CHANGED");
        }
        // the links themselves still hold (order of linking, as WeChat's getRelationNodes)
        assertThat(f.engine.relationNodes(ul, "./li")).containsExactlyInAnyOrderElementsOf(lis);
    }

    @Test
    void anUpdateThatMovesNothingChangesNoLink() {
        Fixture f = list();
        f.set("xs", value("[1,2,3,4]"));
        assertThat(f.host.logged(Lifetime.MOVED.toString())).isEmpty();
        assertThat(f.host.logged("relation").stream().filter(l -> l.endsWith("LINK_CHANGED"))).isEmpty();
    }
}
