package dev.capsule.runtime.view;

import static dev.capsule.runtime.view.Views.apply;
import static dev.capsule.runtime.view.Views.element;
import static dev.capsule.runtime.view.Views.id;
import static dev.capsule.runtime.view.Views.ops;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The closed selector grammar over the tree. */
class ViewSelectorTest {
    private ViewTree tree;

    @BeforeEach
    void page() {
        tree = Views.tree();
        // page > view#list.list > (view.item[data-id=1] > button#add), (view.item.done[data-item-id=2] > text)
        apply(tree, ops(element(2, "view", 1), element(3, "view", 2), element(4, "button", 3), element(5, "view", 2), element(6, "text", 5),
                element(7, "my-card", 1)));
        apply(tree, new ViewOp.SetAttribute(id(2), "id", "list"), new ViewOp.SetClass(id(2), List.of("list")),
                new ViewOp.SetClass(id(3), List.of("item")), new ViewOp.SetDataset(id(3), "id", "1"), new ViewOp.SetAttribute(id(4), "id", "add"),
                new ViewOp.SetClass(id(5), List.of("item", "done")), new ViewOp.SetDataset(id(5), "itemId", "2"),
                new ViewOp.SetAttribute(id(4), "disabled", "false"));
    }

    @Test
    void simpleSelectorsMatch() {
        assertThat(tree.select("#add")).containsExactly(id(4));
        assertThat(tree.select(".item")).containsExactly(id(3), id(5));
        assertThat(tree.select(".item.done")).containsExactly(id(5));
        assertThat(tree.select("view")).containsExactly(id(2), id(3), id(5));
        assertThat(tree.select("my-card")).containsExactly(id(7));
        assertThat(tree.select("[data-id]")).containsExactly(id(3));
        assertThat(tree.select("[data-item-id=2]")).containsExactly(id(5));
        assertThat(tree.select("[data-item-id='3']")).isEmpty();
        assertThat(tree.select("[disabled=false]")).containsExactly(id(4));
        assertThat(tree.select("*")).hasSize(7);
        assertThat(tree.select("#nothing")).isEmpty();
    }

    @Test
    void combinatorsAndListsMatch() {
        assertThat(tree.select("#list button")).containsExactly(id(4));
        assertThat(tree.select("#list > button")).isEmpty();
        assertThat(tree.select(".list>.item > button")).containsExactly(id(4));
        assertThat(tree.select("page view text")).containsExactly(id(6));
        assertThat(tree.select("#add, text")).containsExactly(id(4), id(6));
    }

    @Test
    void longDescendantChainsOverDeepTreesStayFast() {
        ViewTree deep = Views.tree();
        var ops = new java.util.ArrayList<ViewOp>();
        for (int i = 2; i < 200; i++) {
            ops.addAll(element(i, "view", i - 1));
        }
        apply(deep, ops.toArray(ViewOp[]::new));
        String selector = "text" + " view".repeat(ViewSelector.COMPOUNDS_MAX - 1);
        long start = System.nanoTime();
        assertThat(deep.select(selector)).isEmpty();
        assertThat(deep.select("view ".repeat(ViewSelector.COMPOUNDS_MAX - 1) + "view")).hasSize(198 - ViewSelector.COMPOUNDS_MAX + 1);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThatThrownBy(() -> deep.select("view ".repeat(ViewSelector.COMPOUNDS_MAX) + "view")).isInstanceOf(ViewOpException.class)
                .hasMessageContaining("compounds");
    }

    @Test
    void anythingOutsideTheGrammarIsAnError() {
        for (String bad : new String[] {"", " ", "a:hover", "a ~ b", "a + b", ".a\\:b", "[x", "[x=\"y]", "#", ">a", "a >", "a,", "[x=a\\b]",
                "x".repeat(ViewSelector.SELECTOR_CHARS_MAX + 1)}) {
            assertThatThrownBy(() -> tree.select(bad)).as(bad).isInstanceOf(ViewOpException.class);
        }
    }
}
