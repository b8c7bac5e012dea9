package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.view.ChromeField;
import dev.capsule.runtime.view.ViewSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code wx.pageScrollTo} and the pull-down refresh, the same in both tiers: their chrome ops, WeChat's
 * argument rules, a selector failing without a layout host, {@code enablePullDownRefresh} deciding both
 * {@code startPullDownRefresh} and the host's pull-down, and {@code onPullDownRefresh} running after it.
 */
class ViewPageScrollTest {
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";
    private static final String PAGE = LOG + """
            Page({
              onPullDownRefresh() { log('onPullDownRefresh'); },
              scroll() {
                wx.pageScrollTo({ scrollTop: 120.4, duration: 0 }).then(r => log(r.errMsg));
              },
              scrollDefault() { wx.pageScrollTo({ scrollTop: 5 }); },
              bad() {
                const f = e => log('fail', e.errMsg);
                wx.pageScrollTo({}).catch(f);
                wx.pageScrollTo({ scrollTop: -1 }).catch(f);
                wx.pageScrollTo({ scrollTop: '10' }).catch(f);
                wx.pageScrollTo({ scrollTop: 1, duration: -5 }).catch(f);
                wx.pageScrollTo({ selector: '#a' }).catch(f);
                wx.pageScrollTo({ selector: 7 }).catch(f);
              },
              start() { wx.startPullDownRefresh().then(r => log(r.errMsg), e => log('fail', e.errMsg)); log('start returned'); },
              stop() { wx.stopPullDownRefresh({ success: r => log(r.errMsg) }); }
            })""";

    private static Harness.Run run(Isolation tier, String user, boolean pullDown) {
        return Tiers.harness(tier).run(TestApps.app("pages/index/index.js", PAGE, "pages/index/index.wxml", "<view id=\"a\">a</view>",
                "pages/index/index.json", "{\"enablePullDownRefresh\":" + pullDown + "}"), user + "-" + tier);
    }

    private static ViewSnapshot view(Harness.Run run) {
        return run.session().view().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void pageScrollToSendsTheScrollAndChecksItsArguments(Isolation tier) {
        try (var run = run(tier, "scroll", false)) {
            run.dispatch("scroll", "{}");
            assertThat(run.events().logs()).contains("pageScrollTo:ok");
            assertThat(view(run).chrome(ChromeField.PAGE_SCROLL_TOP)).contains("120");
            assertThat(view(run).chrome(ChromeField.PAGE_SCROLL_DURATION)).contains("0");
            run.dispatch("scrollDefault", "{}");
            assertThat(view(run).chrome(ChromeField.PAGE_SCROLL_TOP)).contains("5");
            assertThat(view(run).chrome(ChromeField.PAGE_SCROLL_DURATION)).contains("300");
            ViewSnapshot before = view(run);
            run.dispatch("bad", "{}");
            String scrollTop = "fail pageScrollTo:fail parameter error: scrollTop must be a number of at least 0 (or give a selector)";
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("fail ")).containsExactly(scrollTop, scrollTop, scrollTop,
                    "fail pageScrollTo:fail parameter error: duration must be a number of at least 0",
                    "fail pageScrollTo:fail needs a layout host: an element's position is known only where the page is laid out, and this "
                            + "host renders without layout; scroll by scrollTop instead",
                    "fail pageScrollTo:fail parameter error: selector must be a string");
            assertThat(view(run).chrome()).isEqualTo(before.chrome());
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void startPullDownRefreshRunsOnPullDownRefreshAfterTheEventWhenThePageEnablesIt(Isolation tier) {
        try (var run = run(tier, "pull", true)) {
            run.dispatch("start", "{}");
            assertThat(run.events().logs()).containsSubsequence("start returned", "onPullDownRefresh");
            assertThat(run.events().logs()).contains("startPullDownRefresh:ok");
            assertThat(view(run).chrome(ChromeField.PULL_DOWN_REFRESHING)).contains("true");
            run.dispatch("stop", "{}");
            assertThat(run.events().logs()).contains("stopPullDownRefresh:ok");
            assertThat(view(run).chrome(ChromeField.PULL_DOWN_REFRESHING)).contains("false");
            run.dispatch("onPullDownRefresh", "{}"); // the host's pull-down
            assertThat(run.events().logs()).filteredOn("onPullDownRefresh"::equals).hasSize(2);
            assertThat(view(run).chrome(ChromeField.PULL_DOWN_REFRESHING)).contains("true");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void withoutEnablePullDownRefreshNeitherTheApiNorTheHostRefreshes(Isolation tier) {
        try (var run = run(tier, "nopull", false)) {
            run.dispatch("start", "{}");
            assertThat(run.events().logs()).contains(
                    "fail startPullDownRefresh:fail enablePullDownRefresh is not set for this page (page json or app.json window)");
            run.dispatch("onPullDownRefresh", "{}");
            assertThat(run.events().logs()).doesNotContain("onPullDownRefresh");
            assertThat(run.events().of(RuntimeEvent.Log.class)).extracting(RuntimeEvent.Log::text)
                    .anySatisfy(t -> assertThat(t).contains("dispatch refused").contains("enablePullDownRefresh is not set"));
            assertThat(view(run).chrome(ChromeField.PULL_DOWN_REFRESHING)).isEmpty();
        }
    }
}
