package dev.capsule.runtime.view;

/**
 * The page chrome a {@link ViewOp.SetChrome} may set: what {@code app.json}/page json and the
 * navigation-bar, background and tab-bar APIs control. A closed list; each field has one value kind.
 */
public enum ChromeField {
    NAVIGATION_BAR_TITLE(Kind.TEXT, false),
    /** WeChat allows only {@code #ffffff} and {@code #000000}. */
    NAVIGATION_BAR_FRONT_COLOR(Kind.FRONT_COLOR, false),
    NAVIGATION_BAR_BACKGROUND_COLOR(Kind.COLOR, false),
    NAVIGATION_BAR_LOADING(Kind.BOOLEAN, false),
    /** {@code "true"} hides the navigation bar ({@code navigationStyle: custom}). */
    NAVIGATION_BAR_HIDDEN(Kind.BOOLEAN, false),
    BACKGROUND_COLOR(Kind.COLOR, false),
    BACKGROUND_TEXT_STYLE(Kind.TEXT_STYLE, false),
    TAB_BAR_VISIBLE(Kind.BOOLEAN, false),
    /** The selected item's index. */
    TAB_BAR_SELECTED(Kind.INDEX, false),
    TAB_BAR_COLOR(Kind.COLOR, false),
    TAB_BAR_SELECTED_COLOR(Kind.COLOR, false),
    TAB_BAR_BACKGROUND_COLOR(Kind.COLOR, false),
    TAB_BAR_BORDER_STYLE(Kind.BORDER_STYLE, false),
    TAB_BAR_ITEM_TEXT(Kind.TEXT, true),
    /** A package image path. */
    TAB_BAR_ITEM_ICON(Kind.ASSET, true),
    TAB_BAR_ITEM_SELECTED_ICON(Kind.ASSET, true),
    /** Badge text ({@code wx.setTabBarBadge}); WeChat shows at most 4 characters. */
    TAB_BAR_ITEM_BADGE(Kind.TEXT, true),
    TAB_BAR_ITEM_RED_DOT(Kind.BOOLEAN, true),
    /** {@code wx.pageScrollTo}: where the page scrolls to, in CSS pixels from its top. */
    PAGE_SCROLL_TOP(Kind.WHOLE_NUMBER, false),
    /** {@code wx.pageScrollTo}: how long the scroll animates, in milliseconds. */
    PAGE_SCROLL_DURATION(Kind.WHOLE_NUMBER, false),
    /** {@code "true"} while the page's pull-down refresh runs ({@code startPullDownRefresh} or the host's pull-down, until {@code stopPullDownRefresh}). */
    PULL_DOWN_REFRESHING(Kind.BOOLEAN, false);

    /** The largest {@link Kind#WHOLE_NUMBER} value (pixels or milliseconds). */
    public static final int INTEGER_MAX = 9_999_999;

    /** Tab bar items: WeChat allows 2 to 5. */
    public static final int TAB_BAR_ITEMS_MAX = 5;

    /** The value kinds of chrome fields. */
    public enum Kind { TEXT, COLOR, FRONT_COLOR, BOOLEAN, TEXT_STYLE, BORDER_STYLE, INDEX, ASSET, WHOLE_NUMBER }

    private final Kind kind;
    private final boolean indexed;

    ChromeField(Kind kind, boolean indexed) {
        this.kind = kind;
        this.indexed = indexed;
    }

    /** The field's name on the host shell's wire and in docs: lowerCamel ({@code navigationBarTitle}). */
    public String wireName() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return b.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the field is per tab bar item (index 0 to {@link #TAB_BAR_ITEMS_MAX} - 1). */
    public boolean indexed() {
        return indexed;
    }

    /**
     * Whether {@code value} is of this field's kind (length is {@link ViewTree}'s check): the one check,
     * which {@link ViewTree#apply} enforces and the session's chrome APIs ask before sending an op.
     */
    public boolean accepts(String value) {
        return switch (kind) {
            case TEXT -> ValueKind.isText(value);
            case COLOR -> ValueKind.isColor(value);
            case FRONT_COLOR -> value.equals("#ffffff") || value.equals("#000000");
            case BOOLEAN -> value.equals("true") || value.equals("false");
            case TEXT_STYLE -> value.equals("dark") || value.equals("light");
            case BORDER_STYLE -> value.equals("black") || value.equals("white");
            case INDEX -> value.matches("[0-" + (TAB_BAR_ITEMS_MAX - 1) + "]");
            case ASSET -> UrlPolicy.PACKAGE_ONLY.image(value).isPresent();
            case WHOLE_NUMBER -> value.matches("0|[1-9][0-9]{0,6}"); // 0 to INTEGER_MAX, one spelling each
        };
    }
}
