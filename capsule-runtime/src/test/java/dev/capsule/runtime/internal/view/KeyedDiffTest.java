package dev.capsule.runtime.internal.view;

import static dev.capsule.runtime.internal.view.Fixture.json;
import static dev.capsule.runtime.internal.view.Fixture.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The diff: minimal ops, stable node ids, and incremental batches that always equal a fresh render. */
class KeyedDiffTest {
    private static final String LIST = "<view wx:for=\"{{items}}\" wx:key=\"id\" class=\"row {{item.on ? 'on' : ''}}\" data-id=\"{{item.id}}\">"
            + "<text>{{item.label}}</text></view>";

    private static ObjectNode items(int n) {
        ObjectNode data = json("{}");
        ArrayNode list = data.putArray("items");
        for (int i = 0; i < n; i++) {
            list.addObject().put("id", i).put("label", "item " + i).put("on", false);
        }
        return data;
    }

    @Test
    void oneChangedItemInAThousandIsOneOp() {
        Fixture f = Fixture.page(LIST);
        ObjectNode data = items(1000);
        f.open(data.deepCopy());
        ((ObjectNode) data.get("items").get(500)).put("label", "changed");
        List<ViewOp> ops = f.set("items", data.get("items").deepCopy());
        assertThat(ops).hasSize(1).first().isInstanceOf(ViewOp.SetText.class);
        assertThat(((ViewOp.SetText) ops.getFirst()).text()).isEqualTo("changed");
    }

    @Test
    void unchangedDataSendsNoBatch() {
        Fixture f = Fixture.page(LIST);
        f.open(items(10));
        List<ViewOp> ops = f.set("items", items(10).get("items"));
        assertThat(ops).isEmpty();
        assertThat(f.tree().version()).isEqualTo(1);
    }

    @Test
    void keyedReorderMovesNodesAndKeepsTheirIds() {
        Fixture f = Fixture.page(LIST);
        f.open(items(5));
        List<ViewNodeId> before = f.tree().select(".row");
        ArrayNode reversed = json("{}").putArray("x");
        for (int i = 4; i >= 0; i--) {
            reversed.add(items(5).get("items").get(i));
        }
        List<ViewOp> ops = f.set("items", reversed);
        assertThat(ops).allMatch(op -> op instanceof ViewOp.Move);
        assertThat(ops).hasSize(4);
        assertThat(f.tree().select(".row")).containsExactlyElementsOf(before.reversed());
    }

    @Test
    void keyedRemoveAndInsertTouchOnlyThoseItems() {
        Fixture f = Fixture.page(LIST);
        f.open(items(5));
        ArrayNode list = (ArrayNode) items(5).get("items");
        list.remove(2);
        list.insert(0, json("{\"id\":99,\"label\":\"new\",\"on\":true}"));
        List<ViewOp> ops = f.set("items", list);
        assertThat(ops.stream().filter(op -> op instanceof ViewOp.Remove)).hasSize(1);
        assertThat(ops.stream().filter(op -> op instanceof ViewOp.Insert)).hasSize(3); // the row, its text element, the text node
        assertThat(ops.stream().filter(op -> op instanceof ViewOp.Move)).isEmpty();
        assertThat(f.view()).startsWith("page{view.row.on{id=99}{text{\"new\"}} view.row{id=0}");
    }

    @Test
    void starThisKeysMatchPrimitiveItems() {
        Fixture f = Fixture.page("<text wx:for=\"{{xs}}\" wx:key=\"*this\">{{item}}</text>");
        f.open(json("{\"xs\":[\"a\",\"b\",\"c\"]}"));
        List<ViewOp> ops = f.set("xs", value("[\"c\",\"a\",\"b\"]"));
        assertThat(ops).hasSize(1).first().isInstanceOf(ViewOp.Move.class);
    }

    @Test
    void unkeyedListsUpdateByIndex() {
        Fixture f = Fixture.page("<text wx:for=\"{{xs}}\">{{item}}</text>");
        f.open(json("{\"xs\":[\"a\",\"b\",\"c\"]}"));
        List<ViewOp> ops = f.set("xs", value("[\"c\",\"a\",\"b\"]"));
        assertThat(ops).hasSize(3).allMatch(op -> op instanceof ViewOp.SetText);
    }

    @Test
    void keptItemsStillFollowTheOuterNamesAndIndexTheyRead() {
        Fixture f = Fixture.page("<text wx:for=\"{{xs}}\" wx:key=\"*this\">{{index}}:{{item}}{{suffix}}</text>");
        f.open(json("{\"xs\":[\"a\",\"b\",\"c\"],\"suffix\":\"!\"}"));
        f.set("suffix", value("\"?\""));
        assertThat(f.view()).isEqualTo("page{text{\"0:a?\"} text{\"1:b?\"} text{\"2:c?\"}}");
        f.set("xs", value("[\"b\",\"c\"]"));
        assertThat(f.view()).isEqualTo("page{text{\"0:b?\"} text{\"1:c?\"}}");
        // an item whose value, index and outer names are unchanged is kept as it is: no op at all
        List<ViewOp> ops = f.set("other", value("1"));
        assertThat(ops).isEmpty();
    }

    /** Random data sequences: after every incremental batch the tree equals a fresh render of the same data. */
    @Test
    void incrementalBatchesAlwaysEqualAFreshRender() {
        String template = "<view wx:for=\"{{rows}}\" wx:key=\"{{keyed ? 'id' : ''}}\" class=\"r{{item.c}}\" style=\"{{item.s ? 'color: red' : ''}}\">"
                + "<text wx:if=\"{{item.t}}\">{{item.id}}</text><block wx:else><view data-v=\"{{item.c}}\">e</view>x{{item.c}}</block>"
                + "<text wx:for=\"{{item.sub}}\" wx:key=\"*this\">{{item}}{{flag ? index : ''}}</text></view>"
                + "<view wx:if=\"{{flag}}\" class=\"f\">{{rows.length}}</view>";
        for (String keyed : new String[] {"wx:key=\"id\"", ""}) {
            String tpl = template.replace("wx:key=\"{{keyed ? 'id' : ''}}\"", keyed);
            Random random = new Random(keyed.length() * 31L + 7);
            Fixture live = Fixture.page(tpl);
            live.open(randomData(random));
            for (int step = 0; step < 60; step++) {
                ObjectNode data = randomData(random);
                live.host.data.put(live.page, data.deepCopy());
                live.engine.dataChanged(live.page, data.deepCopy());
                live.flush();
                Fixture fresh = Fixture.page(tpl);
                fresh.open(data.deepCopy());
                assertThat(live.view()).as("step %d (%s)", step, keyed).isEqualTo(fresh.view());
            }
        }
    }

    private static ObjectNode randomData(Random random) {
        ObjectNode data = json("{}");
        data.put("flag", random.nextBoolean());
        ArrayNode rows = data.putArray("rows");
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, random);
        int n = random.nextInt(9);
        for (int i = 0; i < n; i++) {
            ObjectNode row = rows.addObject();
            row.put("id", ids.get(i));
            row.put("c", random.nextInt(3));
            row.put("s", random.nextBoolean());
            row.put("t", random.nextBoolean());
            ArrayNode sub = row.putArray("sub");
            int m = random.nextInt(4);
            for (int j = 0; j < m; j++) {
                sub.add("s" + random.nextInt(6) + "_" + j);
            }
        }
        return data;
    }
}
