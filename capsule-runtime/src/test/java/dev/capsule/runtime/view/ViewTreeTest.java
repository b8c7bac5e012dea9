package dev.capsule.runtime.view;

import static dev.capsule.runtime.view.Views.apply;
import static dev.capsule.runtime.view.Views.element;
import static dev.capsule.runtime.view.Views.id;
import static dev.capsule.runtime.view.Views.ops;
import static dev.capsule.runtime.view.Views.text;
import static dev.capsule.runtime.view.Views.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each op applies as specified, and each check refuses its negative case leaving the tree unchanged. */
class ViewTreeTest {

    private static ViewNode.Element el(ViewTree tree, int id) {
        return (ViewNode.Element) tree.snapshot().find(id(id)).orElseThrow();
    }

    /** Applies a refused batch and checks the tree and its version did not change. */
    private static void refused(ViewTree tree, String message, ViewOp... ops) {
        ViewSnapshot before = tree.snapshot();
        assertThatThrownBy(() -> apply(tree, ops)).isInstanceOf(ViewOpException.class).hasMessageContaining(message);
        assertThat(tree.snapshot()).isEqualTo(before);
        assertThat(tree.version()).isEqualTo(before.version());
    }

    @Test
    void aNewTreeHasOnlyThePageRootAtVersionZero() {
        ViewTree tree = tree();
        assertThat(tree.version()).isZero();
        assertThat(tree.snapshot().root().tag()).isEqualTo("page");
        assertThat(tree.snapshot().root().id()).isEqualTo(ViewNodeId.ROOT);
        assertThat(tree.snapshot().root().children()).isEmpty();
    }

    @Test
    void createInsertAndTextBuildTheTree() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1), text(3, "hello", 2), element(4, "my-card", 1)));
        assertThat(tree.version()).isEqualTo(1);
        assertThat(el(tree, 1).children()).extracting(ViewNode::id).containsExactly(id(2), id(4));
        assertThat(el(tree, 2).children()).containsExactly(new ViewNode.Text(id(3), "hello"));
        apply(tree, new ViewOp.SetText(id(3), "bye"));
        assertThat(el(tree, 2).children()).containsExactly(new ViewNode.Text(id(3), "bye"));
    }

    @Test
    void versionsMustFollowExactly() {
        ViewTree tree = tree();
        assertThatThrownBy(() -> tree.apply(new ViewBatch(2, List.of()))).isInstanceOf(ViewOpException.class).hasMessageContaining("version 2 is not 1");
        tree.apply(new ViewBatch(1, List.of()));
        assertThatThrownBy(() -> tree.apply(new ViewBatch(1, List.of()))).isInstanceOf(ViewOpException.class);
        assertThatThrownBy(() -> new ViewBatch(0, List.of())).isInstanceOf(ViewOpException.class);
        tree.apply(new ViewBatch(2, List.of()));
        assertThat(tree.version()).isEqualTo(2);
    }

    @Test
    void aRefusedBatchUndoesEveryEarlierOpOfIt() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1), text(3, "a", 2)));
        apply(tree, new ViewOp.SetAttribute(id(2), "id", "x"), new ViewOp.SetClass(id(2), List.of("c")),
                new ViewOp.SetStyle(id(2), "color", "red"), new ViewOp.SetDataset(id(2), "k", "v"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "T"));
        refused(tree, "op 13", new ViewOp.SetText(id(3), "b"), new ViewOp.SetAttribute(id(2), "id", "y"), new ViewOp.SetAttribute(id(2), "hidden", "true"),
                new ViewOp.SetClass(id(2), List.of("d")), new ViewOp.SetStyle(id(2), "color", "blue"), new ViewOp.SetStyle(id(2), "color", null),
                new ViewOp.SetDataset(id(2), "k", "w"), new ViewOp.SetDataset(id(2), "k2", "w"), new ViewOp.CreateElement(id(5), "text"),
                new ViewOp.Insert(id(2), id(5), id(3)), new ViewOp.Move(id(1), id(3), null), new ViewOp.Remove(id(2)),
                new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "U"), new ViewOp.SetText(id(99), "x"));
        assertThat(tree.snapshot().chrome(ChromeField.NAVIGATION_BAR_TITLE)).contains("T");
        assertThat(el(tree, 2).attributes()).containsExactly(Map.entry("id", "x"));
        // The ids the refused batch created are free, the ones it removed still exist.
        apply(tree, ops(element(5, "view", 2)));
        assertThat(el(tree, 2).children()).extracting(ViewNode::id).containsExactly(id(3), id(5));
    }

    @Test
    void aRefusedBatchKeepsTheOrderOfStyleDeclarations() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        apply(tree, new ViewOp.SetStyle(id(2), "margin", "0"), new ViewOp.SetStyle(id(2), "margin-top", "4px"), new ViewOp.SetStyle(id(2), "color", "red"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "margin", null), new ViewOp.SetStyle(id(2), "margin", "1px"),
                new ViewOp.SetStyle(id(2), "behavior", "x"));
        assertThat(el(tree, 2).style().keySet()).containsExactly("margin", "margin-top", "color");
    }

    @Test
    void createRefusesExistingIdsAndUnknownTags() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        refused(tree, "node #2 exists", new ViewOp.CreateElement(id(2), "view"));
        refused(tree, "node #1 exists", new ViewOp.CreateText(id(1), "x"));
        refused(tree, "not a built-in", new ViewOp.CreateElement(id(3), "Bad<Tag"));
        refused(tree, "not a built-in", new ViewOp.CreateElement(id(3), "rich-text:script"));
        refused(tree, "absent by decision", new ViewOp.CreateElement(id(3), "web-view"));
        refused(tree, "root's tag only", new ViewOp.CreateElement(id(3), "page"));
        apply(tree, new ViewOp.CreateElement(id(3), "some-component_x"), new ViewOp.CreateElement(id(4), "rich-text:p"));
    }

    @Test
    void idsMustBePositive() {
        assertThatThrownBy(() -> id(0)).isInstanceOf(ViewOpException.class);
        assertThatThrownBy(() -> id(-3)).isInstanceOf(ViewOpException.class);
    }

    @Test
    void setTextAndSetAttributeNeedTheRightKindOfNode() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1), text(3, "t", 2)));
        refused(tree, "is an element", new ViewOp.SetText(id(2), "x"));
        refused(tree, "is text", new ViewOp.SetAttribute(id(3), "id", "x"));
        refused(tree, "is text", new ViewOp.SetClass(id(3), List.of("a")));
        refused(tree, "is text", new ViewOp.SetStyle(id(3), "color", "red"));
        refused(tree, "is text", new ViewOp.SetDataset(id(3), "a", "b"));
        refused(tree, "no node #9", new ViewOp.SetText(id(9), "x"));
        refused(tree, "is text", new ViewOp.Move(id(3), id(2), null));
    }

    @Test
    void attributesFollowTheTagsAllowlistAndValueChecks() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "image", 1), element(3, "button", 1), element(4, "my-comp", 1), element(5, "input", 1)));
        apply(tree, new ViewOp.SetAttribute(id(2), "src", "/images/a.png"), new ViewOp.SetAttribute(id(2), "mode", "aspectFit"),
                new ViewOp.SetAttribute(id(3), "disabled", "true"), new ViewOp.SetAttribute(id(4), "id", "card"),
                new ViewOp.SetAttribute(id(5), "maxlength", "-1"), new ViewOp.SetAttribute(id(2), "lazy-load", ""));
        assertThat(el(tree, 2).attributes()).containsEntry("src", "/images/a.png").containsEntry("mode", "aspectFit");
        refused(tree, "not allowed on <view>", ops(element(6, "view", 1), List.of(new ViewOp.SetAttribute(id(6), "src", "/a.png"))));
        refused(tree, "not allowed on <image>", new ViewOp.SetAttribute(id(2), "onerror", "alert(1)"));
        refused(tree, "not allowed on <my-comp>", new ViewOp.SetAttribute(id(4), "title", "x"));
        refused(tree, "must be one of", new ViewOp.SetAttribute(id(2), "mode", "stretch"));
        refused(tree, "true/false", new ViewOp.SetAttribute(id(3), "disabled", "1"));
        refused(tree, "number", new ViewOp.SetAttribute(id(5), "maxlength", "12px"));
        refused(tree, "number", new ViewOp.SetAttribute(id(5), "maxlength", "1e999"));
        refused(tree, "image URL", new ViewOp.SetAttribute(id(2), "src", "javascript:alert(1)"));
        refused(tree, "image URL", new ViewOp.SetAttribute(id(2), "src", "https://evil.example.net/a.png"));
        refused(tree, "image URL", new ViewOp.SetAttribute(id(2), "src", "/images/../../etc/passwd"));
        refused(tree, "one of", new ViewOp.SetAttribute(id(3), "open-type", "contact"));
        refused(tree, "not allowed", new ViewOp.SetAttribute(id(2), "bogus", null));
        apply(tree, new ViewOp.SetAttribute(id(2), "src", null));
        assertThat(el(tree, 2).attributes()).doesNotContainKey("src");
    }

    @Test
    void classTokensAreChecked() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        apply(tree, new ViewOp.SetClass(id(2), List.of("a", "_b-1", "-c")));
        assertThat(el(tree, 2).classes()).containsExactly("a", "_b-1", "-c");
        refused(tree, "not a class token", new ViewOp.SetClass(id(2), List.of("a b")));
        refused(tree, "not a class token", new ViewOp.SetClass(id(2), List.of("\"><script>")));
        refused(tree, "not a class token", new ViewOp.SetClass(id(2), List.of("1a")));
        refused(tree, "classes, more than", new ViewOp.SetClass(id(2), java.util.Collections.nCopies(ViewLimits.CLASSES_PER_NODE_MAX + 1, "x")));
    }

    @Test
    void stylesFollowThePropertyAllowlistAndValueChecks() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        apply(tree, new ViewOp.SetStyle(id(2), "width", "20rpx"), new ViewOp.SetStyle(id(2), "--accent", "#fff"),
                new ViewOp.SetStyle(id(2), "background-image", "url(/images/bg.png)"));
        assertThat(el(tree, 2).style()).containsExactly(Map.entry("width", "20rpx"), Map.entry("--accent", "#fff"),
                Map.entry("background-image", "url(/images/bg.png)"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "behavior", "url(x.htc)"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "-moz-binding", "url(x.xml)"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "width", "expression(alert(1))"));
        refused(tree, "forbidden character", new ViewOp.SetStyle(id(2), "color", "red;background:url(https://evil.test/)"));
        refused(tree, "url() is not allowed in color", new ViewOp.SetStyle(id(2), "color", "url(/a.png)"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "background", "url(javascript:alert(1))"));
        refused(tree, "package image", new ViewOp.SetStyle(id(2), "background", "url('javascript:alert(1)')"));
        refused(tree, "not allowed", new ViewOp.SetStyle(id(2), "behavior", null));
        apply(tree, new ViewOp.SetStyle(id(2), "width", null));
        assertThat(el(tree, 2).style()).doesNotContainKey("width");
    }

    @Test
    void datasetKeysAreNamesAndValuesText() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        apply(tree, new ViewOp.SetDataset(id(2), "itemId", "7"));
        assertThat(el(tree, 2).dataset()).containsExactly(Map.entry("itemId", "7"));
        refused(tree, "not a name", new ViewOp.SetDataset(id(2), "a-b", "x"));
        refused(tree, "not a name", new ViewOp.SetDataset(id(2), "a\"b", "x"));
        refused(tree, "control character", new ViewOp.SetDataset(id(2), "k", "a\u0000b"));
        apply(tree, new ViewOp.SetDataset(id(2), "itemId", null));
        assertThat(el(tree, 2).dataset()).isEmpty();
    }

    @Test
    void insertAndMoveKeepOrderAndRefuseBadStructure() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1), element(3, "view", 1), element(4, "view", 1)));
        apply(tree, new ViewOp.Move(id(1), id(4), id(2)));
        assertThat(el(tree, 1).children()).extracting(ViewNode::id).containsExactly(id(4), id(2), id(3));
        apply(tree, new ViewOp.Move(id(3), id(2), null));
        assertThat(el(tree, 3).children()).extracting(ViewNode::id).containsExactly(id(2));
        refused(tree, "already attached", new ViewOp.Insert(id(1), id(2), null));
        refused(tree, "cannot go inside itself", new ViewOp.Move(id(2), id(3), null));
        refused(tree, "cannot go inside itself", new ViewOp.Move(id(3), id(3), null));
        refused(tree, "not a child of", new ViewOp.Move(id(1), id(4), id(2)));
        refused(tree, "is not attached", ops(List.of(new ViewOp.CreateElement(id(9), "view"), new ViewOp.Move(id(1), id(9), null))));
        refused(tree, "already attached", new ViewOp.Insert(id(3), id(1), null));
        refused(tree, "no node #42", new ViewOp.Move(id(42), id(2), null));
    }

    @Test
    void removeDropsTheSubtreeAndItsIds() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1), element(3, "view", 2), text(4, "x", 3)));
        apply(tree, new ViewOp.Remove(id(2)));
        assertThat(el(tree, 1).children()).isEmpty();
        refused(tree, "no node #4", new ViewOp.SetText(id(4), "y"));
        refused(tree, "cannot be removed", new ViewOp.Remove(ViewNodeId.ROOT));
        apply(tree, ops(element(3, "text", 1)));
    }

    @Test
    void richTextElementsLiveOnlyInsideRichText() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "rich-text", 1), element(3, "rich-text:p", 2), text(4, "x", 3), element(5, "rich-text:img", 3)));
        apply(tree, new ViewOp.SetAttribute(id(5), "src", "/a.png"));
        refused(tree, "belongs inside <rich-text>", ops(element(6, "rich-text:p", 1)));
        refused(tree, "holds only rich-text elements", ops(element(6, "view", 2)));
        refused(tree, "holds only rich-text elements", ops(element(6, "button", 3)));
        refused(tree, "not allowed", new ViewOp.SetAttribute(id(3), "onclick", "x"));
    }

    @Test
    void capsAreEnforced() {
        var small = new ViewLimits(4, 3, 5, 6, 2, 2, 1, 1);
        ViewTree tree = new ViewTree(small, UrlPolicy.PACKAGE_ONLY);
        refused(tree, "more than 4", new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a"),
                new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a"),
                new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a"));
        apply(tree, ops(element(2, "view", 1), element(3, "view", 2)));
        refused(tree, "more than 3 nodes", new ViewOp.CreateText(id(4), "x"));
        ViewTree deep = new ViewTree(new ViewLimits(10, 10, 5, 6, 2, 2, 1, 1), UrlPolicy.PACKAGE_ONLY);
        apply(deep, ops(element(2, "view", 1), element(3, "view", 2)));
        refused(deep, "nesting deeper than 2", ops(element(4, "view", 3)));
        refused(deep, "nesting deeper than 2", ops(List.of(new ViewOp.CreateElement(id(4), "view"), new ViewOp.Move(id(4), id(2), null),
                new ViewOp.Insert(id(1), id(4), null))));
        ViewTree texts = new ViewTree(small, UrlPolicy.PACKAGE_ONLY);
        refused(texts, "more than 5", new ViewOp.CreateText(id(2), "123456"));
        apply(texts, new ViewOp.CreateText(id(2), "12345"));
        refused(texts, "more than 6", ops(element(3, "view", 1), List.of(new ViewOp.SetAttribute(id(3), "id", "1234567"))));
        apply(texts, ops(element(3, "view", 1)));
        apply(texts, new ViewOp.SetStyle(id(3), "color", "red"), new ViewOp.SetDataset(id(3), "a", "b"));
        refused(texts, "more than 1 style", new ViewOp.SetStyle(id(3), "width", "1px"));
        refused(texts, "more than 1 dataset", new ViewOp.SetDataset(id(3), "b", "c"));
        apply(texts, new ViewOp.SetStyle(id(3), "color", "blue"), new ViewOp.SetDataset(id(3), "a", "c"));
        refused(texts, "more than 2", new ViewOp.SetClass(id(3), List.of("a", "b", "c")));
    }

    @Test
    void deepNestingIsRefusedEvenWhenBuiltDetached() {
        ViewTree tree = tree();
        var ops = new ArrayList<ViewOp>();
        ops.add(new ViewOp.CreateElement(id(2), "view"));
        for (int i = 3; i <= ViewLimits.DEPTH_MAX + 3; i++) {
            ops.add(new ViewOp.CreateElement(id(i), "view"));
            ops.add(new ViewOp.Insert(id(i - 1), id(i), null));
        }
        refused(tree, "nesting deeper than", ops.toArray(ViewOp[]::new));
    }

    @Test
    void aLargeDeepPageBuiltBottomUpAsTheEngineDoesFitsInOneBatch() {
        ViewTree tree = tree();
        int chains = 1_500;
        int length = 30;
        var ops = new ArrayList<ViewOp>();
        int next = 2;
        for (int c = 0; c < chains; c++) {
            int first = next;
            for (int i = 0; i < length; i++) {
                ops.add(new ViewOp.CreateElement(id(next++), "view"));
            }
            for (int i = length - 1; i > 0; i--) {
                ops.add(new ViewOp.Insert(id(first + i - 1), id(first + i), null));
            }
            ops.add(new ViewOp.Insert(ViewNodeId.ROOT, id(first), null));
        }
        tree.apply(new ViewBatch(1, ops));
        assertThat(tree.snapshot().root().children()).hasSize(chains);
    }

    @Test
    void depthIsMeasuredExactlyWhenTheCachedHeightIsStale() {
        ViewTree tree = new ViewTree(new ViewLimits(100, 100, 5, 6, 3, 2, 1, 1), UrlPolicy.PACKAGE_ONLY);
        apply(tree, ops(element(2, "view", 1), element(3, "view", 2), element(4, "view", 3)));
        apply(tree, new ViewOp.Remove(id(4)));
        apply(tree, ops(element(5, "view", 1), List.of(new ViewOp.Move(id(5), id(2), null))));
        assertThat(tree.select("view > view > view")).containsExactly(id(3));
        refused(tree, "nesting deeper than 3", ops(element(6, "view", 3)));
    }

    @Test
    void chromeFieldsAreChecked() {
        ViewTree tree = tree();
        apply(tree, new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "Home"), new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR, "#ffffff"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 4, "Me"), new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_ICON, 0, "/icons/home.png"),
                new ViewOp.SetChrome(ChromeField.TAB_BAR_SELECTED, "1"), new ViewOp.SetChrome(ChromeField.BACKGROUND_TEXT_STYLE, "dark"));
        assertThat(tree.snapshot().chrome(ChromeField.TAB_BAR_ITEM_TEXT, 4)).contains("Me");
        refused(tree, "front color", new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR, "#ff0000"));
        refused(tree, "color", new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, "red;x"));
        refused(tree, "index must be 0 to 4", new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 5, "x"));
        refused(tree, "index must be 0,", new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, 1, "x"));
        refused(tree, "asset", new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_ICON, 0, "https://img.example.com/a.png"));
        refused(tree, "boolean", new ViewOp.SetChrome(ChromeField.TAB_BAR_VISIBLE, "yes"));
        refused(tree, "index", new ViewOp.SetChrome(ChromeField.TAB_BAR_SELECTED, "7"));
        refused(tree, "text", new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "a\u0001"));
        apply(tree, new ViewOp.SetChrome(ChromeField.TAB_BAR_ITEM_TEXT, 4, null));
        assertThat(tree.snapshot().chrome(ChromeField.TAB_BAR_ITEM_TEXT, 4)).isEmpty();
    }

    @Test
    void snapshotsDoNotChangeWithTheTree() {
        ViewTree tree = tree();
        apply(tree, ops(element(2, "view", 1)));
        ViewSnapshot before = tree.snapshot();
        apply(tree, new ViewOp.SetClass(id(2), List.of("x")), new ViewOp.Remove(id(2)));
        assertThat(before.root().children()).hasSize(1);
        assertThat(((ViewNode.Element) before.root().children().getFirst()).classes()).isEmpty();
        assertThatThrownBy(() -> before.root().children().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> before.root().attributes().put("id", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void detachedNodesAreNotInTheSnapshot() {
        ViewTree tree = tree();
        apply(tree, new ViewOp.CreateElement(id(2), "view"));
        assertThat(tree.snapshot().find(id(2))).isEmpty();
        assertThat(tree.select("view")).isEmpty();
    }

    @Test
    void reportedEventsMustTargetAnAttachedElementThatEmitsThem() {
        ViewTree tree = tree();
        var detail = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        apply(tree, ops(element(2, "button", 1), element(3, "form", 1), text(4, "t", 1), element(5, "my-comp", 1)));
        apply(tree, new ViewOp.CreateElement(id(6), "view"));
        tree.check(new ViewEvent(id(2), "tap", detail));
        tree.check(new ViewEvent(id(3), "submit", detail));
        tree.check(new ViewEvent(id(5), "longpress", detail));
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(2), "submit", detail))).isInstanceOf(ViewOpException.class).hasMessageContaining("does not emit");
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(5), "change", detail))).isInstanceOf(ViewOpException.class).hasMessageContaining("does not emit");
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(4), "tap", detail))).isInstanceOf(ViewOpException.class).hasMessageContaining("not an element");
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(9), "tap", detail))).isInstanceOf(ViewOpException.class).hasMessageContaining("not an element");
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(6), "tap", detail))).isInstanceOf(ViewOpException.class).hasMessageContaining("not attached");
    }

    @Test
    void theSnapshotAppliesTheTreesEventRuleAndAHostCheckingItRefusesADetachedTargetToo() {
        ViewTree tree = tree();
        var detail = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        apply(tree, ops(element(2, "button", 1), text(4, "t", 1), element(5, "my-comp", 1)));
        apply(tree, new ViewOp.CreateElement(id(6), "button"));
        ViewSnapshot shown = tree.snapshot();
        shown.check(new ViewEvent(id(2), "tap", detail));
        shown.check(new ViewEvent(id(5), "longpress", detail));
        assertThatThrownBy(() -> shown.check(new ViewEvent(id(2), "submit", detail))).isInstanceOf(ViewOpException.class)
                .hasMessage("<button> does not emit \"submit\"");
        assertThatThrownBy(() -> shown.check(new ViewEvent(id(4), "tap", detail))).isInstanceOf(ViewOpException.class)
                .hasMessage("event target #4 is not an element of this page");
        assertThatThrownBy(() -> shown.check(new ViewEvent(id(9), "tap", detail))).isInstanceOf(ViewOpException.class)
                .hasMessage("event target #9 is not an element of this page");
        // A detached button emits taps, but the snapshot holds only the attached tree: refused, as the tree refuses it.
        assertThatThrownBy(() -> shown.check(new ViewEvent(id(6), "tap", detail))).isInstanceOf(ViewOpException.class)
                .hasMessage("event target #6 is not an element of this page");
        assertThatThrownBy(() -> tree.check(new ViewEvent(id(6), "tap", detail))).isInstanceOf(ViewOpException.class)
                .hasMessage("event target #6 is not attached");
        // Once attached, both accept it.
        apply(tree, new ViewOp.Insert(id(1), id(6), null));
        tree.check(new ViewEvent(id(6), "tap", detail));
        tree.snapshot().check(new ViewEvent(id(6), "tap", detail));
    }

    @Test
    void viewEventsCheckTheirShape() {
        var detail = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        assertThat(new ViewEvent(id(2), "tap", detail).type()).isEqualTo("tap");
        assertThatThrownBy(() -> new ViewEvent(id(2), "on tap", detail)).isInstanceOf(ViewOpException.class);
        assertThatThrownBy(() -> new ViewEvent(id(2), "tap", tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode()))
                .isInstanceOf(ViewOpException.class);
    }
}
