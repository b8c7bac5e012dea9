package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewNodeId;
import dev.capsule.runtime.view.ViewOp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented schema of --ops view lines (docs/cli.md, "capsule render"), one op of each kind, and its escaping. */
class ViewBatchJsonTest {
    private static ViewNodeId id(int value) {
        return new ViewNodeId(value);
    }

    @Test
    void everyOpKindHasItsDocumentedFields() {
        ViewBatch batch = new ViewBatch(3, List.of(
                new ViewOp.CreateElement(id(2), "view"),
                new ViewOp.CreateText(id(3), "hi"),
                new ViewOp.SetText(id(3), "ho"),
                new ViewOp.SetAttribute(id(2), "id", "add"),
                new ViewOp.SetAttribute(id(2), "hidden", null),
                new ViewOp.SetClass(id(2), List.of("a", "b")),
                new ViewOp.SetStyle(id(2), "color", "red"),
                new ViewOp.SetDataset(id(2), "itemId", "7"),
                new ViewOp.Insert(id(1), id(2), null),
                new ViewOp.Move(id(1), id(2), id(4)),
                new ViewOp.Remove(id(4)),
                new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "Shop"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_BADGE, 1, null)));
        assertThat(SafeJson.line(ViewBatchJson.toJson("pages/index/index", batch))).isEqualTo(
                "{\"type\":\"view\",\"route\":\"pages/index/index\",\"version\":3,\"ops\":["
                        + "{\"op\":\"createElement\",\"id\":2,\"tag\":\"view\"},"
                        + "{\"op\":\"createText\",\"id\":3,\"text\":\"hi\"},"
                        + "{\"op\":\"setText\",\"id\":3,\"text\":\"ho\"},"
                        + "{\"op\":\"setAttribute\",\"id\":2,\"name\":\"id\",\"value\":\"add\"},"
                        + "{\"op\":\"setAttribute\",\"id\":2,\"name\":\"hidden\",\"value\":null},"
                        + "{\"op\":\"setClass\",\"id\":2,\"classes\":[\"a\",\"b\"]},"
                        + "{\"op\":\"setStyle\",\"id\":2,\"property\":\"color\",\"value\":\"red\"},"
                        + "{\"op\":\"setDataset\",\"id\":2,\"key\":\"itemId\",\"value\":\"7\"},"
                        + "{\"op\":\"insert\",\"parent\":1,\"child\":2,\"before\":null},"
                        + "{\"op\":\"move\",\"parent\":1,\"child\":2,\"before\":4},"
                        + "{\"op\":\"remove\",\"id\":4},"
                        + "{\"op\":\"setChrome\",\"field\":\"navigationBarTitle\",\"index\":0,\"value\":\"Shop\"},"
                        + "{\"op\":\"setChrome\",\"field\":\"tabBarItemBadge\",\"index\":1,\"value\":null}]}");
    }

    @Test
    void chromeFieldsAreTheEnumNamesInCamelCase() {
        assertThat(Arrays.stream(ChromeField.values()).map(ViewBatchJson::wireName))
                .contains("navigationBarTitle", "navigationBarFrontColor", "tabBarSelected", "tabBarItemRedDot")
                .allMatch(name -> name.matches("[a-z][A-Za-z]*"))
                .doesNotHaveDuplicates();
    }

    /** A guest's text with a line separator, an escape and a quote stays one JSON string on one line. */
    @Test
    void guestTextCannotBreakTheLineOrAddAField() {
        String hostile = "a\u2028b\u001b[2J\",\"type\":\"exit\"\nc";
        String line = SafeJson.line(ViewBatchJson.toJson("p", new ViewBatch(1, List.of(new ViewOp.CreateText(id(2), hostile)))));
        assertThat(line).doesNotContain("\n", "\u2028", "\u001b");
        assertThat(line.toLowerCase(java.util.Locale.ROOT)).contains("\\u2028", "\\u001b", "\\n");
        assertThat(new CliRun(0, line, "").lines().getFirst().get("ops").get(0).get("text").stringValue()).isEqualTo(hostile);
        assertThat(new CliRun(0, line, "").lines().getFirst().get("type").stringValue()).isEqualTo("view");
    }
}
