package dev.capsule.runtime.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link ChromeField#accepts} is the one check of chrome values: the session's chrome APIs ask it before
 * sending an op, and {@link ViewTree#apply} refuses what it refuses (so both agree by construction).
 */
class ChromeFieldTest {
    @Test
    void eachKindAcceptsItsValuesAndRefusesTheRest() {
        assertThat(ChromeField.NAVIGATION_BAR_TITLE.accepts("Home 首页")).isTrue();
        assertThat(ChromeField.NAVIGATION_BAR_TITLE.accepts("a\u0000b")).isFalse();
        assertThat(ChromeField.BACKGROUND_COLOR.accepts("#abcdef")).isTrue();
        assertThat(ChromeField.BACKGROUND_COLOR.accepts("red;background:url(x)")).isFalse();
        assertThat(ChromeField.NAVIGATION_BAR_FRONT_COLOR.accepts("#000000")).isTrue();
        assertThat(ChromeField.NAVIGATION_BAR_FRONT_COLOR.accepts("#ff0000")).isFalse();
        assertThat(ChromeField.BACKGROUND_TEXT_STYLE.accepts("dark")).isTrue();
        assertThat(ChromeField.BACKGROUND_TEXT_STYLE.accepts("grey")).isFalse();
        assertThat(ChromeField.TAB_BAR_BORDER_STYLE.accepts("white")).isTrue();
        assertThat(ChromeField.TAB_BAR_BORDER_STYLE.accepts("red")).isFalse();
        assertThat(ChromeField.TAB_BAR_SELECTED.accepts("4")).isTrue();
        assertThat(ChromeField.TAB_BAR_SELECTED.accepts("5")).isFalse();
        assertThat(ChromeField.TAB_BAR_ITEM_ICON.accepts("/images/a.png")).isTrue();
        assertThat(ChromeField.TAB_BAR_ITEM_ICON.accepts("javascript:alert(1)")).isFalse();
        assertThat(ChromeField.PULL_DOWN_REFRESHING.accepts("true")).isTrue();
        assertThat(ChromeField.PULL_DOWN_REFRESHING.accepts("yes")).isFalse();
    }

    @Test
    void integersAreWholeNonNegativeAndBoundedWithOneSpelling() {
        assertThat(ChromeField.PAGE_SCROLL_TOP.accepts("0")).isTrue();
        assertThat(ChromeField.PAGE_SCROLL_TOP.accepts("120")).isTrue();
        assertThat(ChromeField.PAGE_SCROLL_TOP.accepts(Integer.toString(ChromeField.INTEGER_MAX))).isTrue();
        for (String bad : new String[] {"", "-1", "1.5", "007", "1e3", "10000000", " 1", "NaN"}) {
            assertThat(ChromeField.PAGE_SCROLL_TOP.accepts(bad)).as(bad).isFalse();
        }
    }

    @Test
    void theTreeRefusesWhatAcceptsRefusesAndNothingOfTheBatchApplies() {
        ViewTree tree = Views.tree();
        Views.apply(tree, new ViewOp.SetChrome(ChromeField.PAGE_SCROLL_TOP, "10"), new ViewOp.SetChrome(ChromeField.PULL_DOWN_REFRESHING, "true"));
        assertThat(tree.snapshot().chrome(ChromeField.PAGE_SCROLL_TOP)).contains("10");
        assertThatThrownBy(() -> tree.apply(new ViewBatch(2, java.util.List.of(new ViewOp.SetChrome(ChromeField.PAGE_SCROLL_TOP, "20"),
                new ViewOp.SetChrome(ChromeField.PAGE_SCROLL_DURATION, "-1"))))).isInstanceOf(ViewOpException.class)
                .hasMessageContaining("PAGE_SCROLL_DURATION must be a whole number");
        assertThat(tree.snapshot().chrome(ChromeField.PAGE_SCROLL_TOP)).contains("10");
    }
}
