package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewOp;
import dev.capsule.runtime.view.ViewSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The page chrome, the same in both tiers: app.json {@code window}, the page json and app.json
 * {@code tabBar} as {@link ViewOp.SetChrome} ops in the page's first batch; the navigation bar,
 * background and tab bar APIs as ops in the next batch, with WeChat's argument rules and fail messages;
 * the tab bar shared by the tab pages; bad json values a warning, never a refused batch.
 */
class ViewChromeTest {
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";
    private static final String FAIL = "e => log('fail', e.errMsg)";
    private static final String WINDOW_APP = """
            {"pages":["pages/index/index"],
             "window":{"navigationBarTitleText":"App","navigationBarBackgroundColor":"#123456","navigationBarTextStyle":"white",
                       "backgroundColor":"#eeeeee"}}""";
    private static final String TAB_APP = """
            {"pages":["pages/index/index","pages/b/b","pages/c/c"],
             "window":{"navigationBarTitleText":"App","navigationBarBackgroundColor":"#123456","navigationBarTextStyle":"white",
                       "backgroundColor":"#eeeeee"},
             "tabBar":{"color":"#999999","selectedColor":"#ff0000","backgroundColor":"#ffffff","borderStyle":"white",
                       "list":[{"pagePath":"pages/index/index","text":"Home","iconPath":"images/home.png","selectedIconPath":"images/home-on.png"},
                               {"pagePath":"pages/b/b","text":"Cart"}]}}""";

    private static Harness.Run run(Isolation tier, String user, String... files) {
        List<String> all = new ArrayList<>(List.of("pages/index/index.wxml", "<view>index</view>", "pages/b/b.wxml", "<view>b</view>",
                "pages/b/b.js", "Page({})", "pages/c/c.wxml", "<view>c</view>", "pages/c/c.js", "Page({})", "images/home.png", "png",
                "images/home-on.png", "png", "images/other.png", "png"));
        all.addAll(List.of(files));
        return Tiers.harness(tier).run(TestApps.app(all.toArray(String[]::new)), user + "-" + tier);
    }

    private static ViewSnapshot view(Harness.Run run) {
        return run.session().view().orElseThrow();
    }

    private static Map<Integer, String> chrome(Harness.Run run, ChromeField field) {
        return view(run).chrome().getOrDefault(field, Map.of());
    }

    private static List<ViewOp> firstBatch(Harness.Run run) {
        return run.events().of(RuntimeEvent.View.class).getFirst().batch().ops();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theFirstBatchCarriesTheWindowOfAppJsonOverriddenByThePageJson(Isolation tier) {
        try (var run = run(tier, "window", "app.json", WINDOW_APP, "pages/index/index.json", "{\"navigationBarTitleText\":\"Home\",\"backgroundTextStyle\":\"dark\"}")) {
            assertThat(firstBatch(run)).filteredOn(ViewOp.SetChrome.class::isInstance).containsExactly(
                    new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_TITLE, "Home"),
                    new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR, "#123456"),
                    new ViewOp.SetChrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR, "#ffffff"),
                    new ViewOp.SetChrome(ChromeField.BACKGROUND_COLOR, "#eeeeee"),
                    new ViewOp.SetChrome(ChromeField.BACKGROUND_TEXT_STYLE, "dark"));
            assertThat(firstBatch(run).getFirst()).isInstanceOf(ViewOp.SetChrome.class); // the chrome comes before the tree
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_TITLE)).contains("Home");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_VISIBLE)).isEmpty(); // no tabBar in app.json
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void badWindowValuesAreWarningsAndNeverRefuseTheBatch(Isolation tier) {
        try (var run = run(tier, "badwindow", "pages/index/index.json", """
                {"navigationBarTitleText":"ok","navigationBarBackgroundColor":"red;background:url(https://x)","navigationBarTextStyle":"blue",
                 "navigationStyle":"custom","backgroundTextStyle":7}""")) {
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.session().ended()).isFalse();
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_TITLE)).contains("ok");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR)).isEmpty();
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR)).isEmpty();
            assertThat(view(run).chrome(ChromeField.BACKGROUND_TEXT_STYLE)).isEmpty();
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_HIDDEN)).contains("true");
            assertThat(run.events().of(RuntimeEvent.Log.class)).filteredOn(l -> l.level().equals("warn")).extracting(RuntimeEvent.Log::text)
                    .anySatisfy(t -> assertThat(t).contains("navigationBarBackgroundColor").contains("is not a valid color"))
                    .anySatisfy(t -> assertThat(t).contains("navigationBarTextStyle must be white or black"))
                    .anySatisfy(t -> assertThat(t).contains("backgroundTextStyle"));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void navigationBarAndBackgroundApisSetTheChromeAndCheckTheirArguments(Isolation tier) {
        String script = LOG + """
                Page({
                  change() {
                    wx.setNavigationBarTitle({ title: 'Title' }).then(r => log(r.errMsg));
                    wx.setNavigationBarColor({ frontColor: '#000000', backgroundColor: '#abcdef' }).then(r => log(r.errMsg));
                    wx.showNavigationBarLoading();
                    wx.setBackgroundColor({ backgroundColor: '#010203' });
                    wx.setBackgroundTextStyle({ textStyle: 'light' });
                  },
                  hide() { wx.hideNavigationBarLoading({ success: r => log(r.errMsg) }); },
                  bad() {
                    wx.setNavigationBarTitle({}).catch(%1$s);
                    wx.setNavigationBarTitle({ title: 'a\\u0000b' }).catch(%1$s);
                    wx.setNavigationBarColor({ frontColor: '#ff0000', backgroundColor: '#ffffff' }).catch(%1$s);
                    wx.setNavigationBarColor({ frontColor: '#ffffff', backgroundColor: 'url(x)' }).catch(%1$s);
                    wx.setBackgroundColor({ backgroundColor: 'expression(1)' }).catch(%1$s);
                    wx.setBackgroundTextStyle({ textStyle: 'grey' }).catch(%1$s);
                  }
                })""".formatted(FAIL);
        try (var run = run(tier, "navbar", "pages/index/index.js", script)) {
            run.dispatch("change", "{}");
            assertThat(run.events().logs()).contains("setNavigationBarTitle:ok", "setNavigationBarColor:ok");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_TITLE)).contains("Title");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_FRONT_COLOR)).contains("#000000");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_BACKGROUND_COLOR)).contains("#abcdef");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_LOADING)).contains("true");
            assertThat(view(run).chrome(ChromeField.BACKGROUND_COLOR)).contains("#010203");
            assertThat(view(run).chrome(ChromeField.BACKGROUND_TEXT_STYLE)).contains("light");
            run.dispatch("hide", "{}");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_LOADING)).contains("false");
            ViewSnapshot before = view(run);
            run.dispatch("bad", "{}");
            assertThat(run.events().logs()).contains("fail setNavigationBarTitle:fail parameter error: title must be a string",
                    "fail setNavigationBarColor:fail parameter error: frontColor must be #ffffff or #000000",
                    "fail setNavigationBarColor:fail parameter error: backgroundColor must be a color",
                    "fail setBackgroundColor:fail parameter error: backgroundColor must be a color",
                    "fail setBackgroundTextStyle:fail parameter error: textStyle must be dark or light");
            assertThat(run.events().logs()).filteredOn(l -> l.equals("fail setNavigationBarTitle:fail parameter error: title must be a string"))
                    .hasSize(2);
            assertThat(view(run).chrome()).isEqualTo(before.chrome());
            assertThat(run.events().of(RuntimeEvent.Ui.class)).isEmpty(); // one path: the chrome op
            assertThat(run.events().violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aTabPageShowsAppJsonsTabBarWithItsItemSelected(Isolation tier) {
        try (var run = run(tier, "tabbar", "app.json", TAB_APP)) {
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_TEXT)).isEqualTo(Map.of(0, "Home", 1, "Cart"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_ICON)).isEqualTo(Map.of(0, "/images/home.png"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_SELECTED_ICON)).isEqualTo(Map.of(0, "/images/home-on.png"));
            assertThat(view(run).chrome(ChromeField.TAB_BAR_SELECTED)).contains("0");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_VISIBLE)).contains("true");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_COLOR)).contains("#999999");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_SELECTED_COLOR)).contains("#ff0000");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_BACKGROUND_COLOR)).contains("#ffffff");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_BORDER_STYLE)).contains("white");
            assertThat(view(run).chrome(ChromeField.NAVIGATION_BAR_TITLE)).contains("App");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void tabBarApisChangeTheSharedTabBarAndSwitchTabSelectsTheItem(Isolation tier) {
        String script = LOG + """
                Page({
                  change() {
                    wx.setTabBarBadge({ index: 1, text: '3' }).then(r => log(r.errMsg));
                    wx.showTabBarRedDot({ index: 0 });
                    wx.setTabBarItem({ index: 1, text: 'Bag', iconPath: 'images/other.png', selectedIconPath: '/images/home-on.png' });
                    wx.setTabBarStyle({ color: '#000000', borderStyle: 'black' });
                    wx.hideTabBar({ success: r => log(r.errMsg) });
                  },
                  more() {
                    wx.showTabBar();
                    wx.hideTabBarRedDot({ index: 0 });
                    wx.showTabBarRedDot({ index: 1 });
                  },
                  go() { wx.switchTab({ url: '/pages/b/b' }); },
                  bad() {
                    wx.setTabBarBadge({ index: 2, text: '1' }).catch(%1$s);
                    wx.setTabBarBadge({ index: 0.5, text: '1' }).catch(%1$s);
                    wx.setTabBarBadge({ index: 0 }).catch(%1$s);
                    wx.removeTabBarBadge({ index: -1 }).catch(%1$s);
                    wx.showTabBarRedDot({}).catch(%1$s);
                    wx.setTabBarItem({ index: 0, iconPath: 'images/missing.png' }).catch(%1$s);
                    wx.setTabBarItem({ index: 9, text: 'x' }).catch(%1$s);
                    wx.setTabBarStyle({ color: 'javascript:alert(1)' }).catch(%1$s);
                    wx.setTabBarStyle({ borderStyle: 'red' }).catch(%1$s);
                  }
                })""".formatted(FAIL);
        try (var run = run(tier, "tabapis", "app.json", TAB_APP, "pages/index/index.js", script)) {
            run.dispatch("change", "{}");
            assertThat(run.events().logs()).contains("setTabBarBadge:ok", "hideTabBar:ok");
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_BADGE)).isEqualTo(Map.of(1, "3"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_RED_DOT)).isEqualTo(Map.of(0, "true"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_TEXT)).isEqualTo(Map.of(0, "Home", 1, "Bag"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_ICON)).isEqualTo(Map.of(0, "/images/home.png", 1, "/images/other.png"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_SELECTED_ICON)).containsEntry(1, "/images/home-on.png");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_COLOR)).contains("#000000");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_BORDER_STYLE)).contains("black");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_VISIBLE)).contains("false");
            run.dispatch("more", "{}");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_VISIBLE)).contains("true");
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_RED_DOT)).isEqualTo(Map.of(1, "true"));
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_BADGE)).isEmpty(); // the red dot replaced the badge

            ViewSnapshot before = view(run);
            run.dispatch("bad", "{}");
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ")).containsExactly(
                    "fail setTabBarBadge:fail tabbar item not found", "fail setTabBarBadge:fail tabbar item not found",
                    "fail setTabBarBadge:fail parameter error: text must be a string", "fail removeTabBarBadge:fail tabbar item not found",
                    "fail showTabBarRedDot:fail tabbar item not found",
                    "fail setTabBarItem:fail parameter error: iconPath must be an image file of the package",
                    "fail setTabBarItem:fail tabbar item not found", "fail setTabBarStyle:fail parameter error: color must be a color",
                    "fail setTabBarStyle:fail parameter error: borderStyle must be black or white");
            assertThat(view(run).chrome()).isEqualTo(before.chrome());

            run.dispatch("go", "{}");
            assertThat(run.session().currentRoute()).isEqualTo("pages/b/b");
            assertThat(view(run).chrome(ChromeField.TAB_BAR_SELECTED)).contains("1");
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_TEXT)).isEqualTo(Map.of(0, "Home", 1, "Bag")); // one tab bar for the app
            assertThat(chrome(run, ChromeField.TAB_BAR_ITEM_RED_DOT)).isEqualTo(Map.of(1, "true"));
            assertThat(view(run).chrome(ChromeField.TAB_BAR_COLOR)).contains("#000000");
            assertThat(run.events().violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void tabBarApisFailOffATabPageAndWithoutATabBar(Isolation tier) {
        String calls = "['showTabBar','hideTabBar','setTabBarBadge','removeTabBarBadge','showTabBarRedDot','hideTabBarRedDot','setTabBarItem',"
                + "'setTabBarStyle'].forEach(n => wx[n]({ index: 0, text: 'x' }).catch(e => log('fail', e.errMsg)));";
        String page = LOG + "Page({ onLoad() { " + calls + " } })";
        try (var run = run(tier, "offtab", "app.json", TAB_APP.replace("\"pages/index/index\",\"pages/b/b\",\"pages/c/c\"",
                "\"pages/c/c\",\"pages/index/index\",\"pages/b/b\""), "pages/c/c.js", page)) {
            assertThat(run.session().currentRoute()).isEqualTo("pages/c/c");
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ")).hasSize(8)
                    .allSatisfy(l -> assertThat(l).endsWith(":fail not TabBar page"));
            assertThat(view(run).chrome(ChromeField.TAB_BAR_VISIBLE)).isEmpty(); // a non-tab page has no tab bar
        }
        try (var run = run(tier, "notabbar", "pages/index/index.js", page)) {
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ")).hasSize(8)
                    .allSatisfy(l -> assertThat(l).endsWith(":fail not TabBar page"));
        }
    }
}
