package dev.capsule.runtime.view.wxss;

import static dev.capsule.runtime.view.wxss.Sheets.compile;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Scope names and the CSS of a page for the HTML renderer. */
class StyleSetTest {
    private static final Pattern CLASS_TOKEN = Pattern.compile("[A-Za-z_-][A-Za-z0-9_-]*");

    @Test
    void scopeClassIsStablePerPathDistinctAcrossPathsAndAValidClassToken() {
        String a = StyleSet.scopeClass("components/card/card");
        assertThat(StyleSet.scopeClass("components/card/card")).isEqualTo(a);
        assertThat(StyleSet.scopeClass("components/card/card2")).isNotEqualTo(a);
        assertThat(a).matches("_capsule-[0-9a-f]{12}").matches(CLASS_TOKEN);
        assertThat(StyleSet.hostClass("components/card/card")).isEqualTo(a + "-host").matches(CLASS_TOKEN);
        assertThat(StyleSet.PAGE_ROOT_CLASS).matches(CLASS_TOKEN);
    }

    @Test
    void pageCssIsRpxThenAppThenTheGivenSheetsInOrderEachOnce() throws Exception {
        StyleSet set = compile("app.wxss", ".app{top:0}", "pages/p/p.wxss", ".page{top:0}", "components/a/a.wxss", ".ca{top:0}",
                "components/b/b.wxss", ".cb{top:0}");
        String css = set.css(List.of("pages/p/p", "components/b/b", "components/a/a", "components/b/b", "components/none/none"));
        assertThat(css).isEqualTo(StyleSet.RPX_DEFINITION
                + "\n" + set.sheet("app").orElseThrow().css()
                + "\n" + set.sheet("pages/p/p").orElseThrow().css()
                + "\n" + set.sheet("components/b/b").orElseThrow().css()
                + "\n" + set.sheet("components/a/a").orElseThrow().css());
    }

    @Test
    void pageCssWithoutAnAppSheetStartsWithThePage() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".page{top:0}");
        assertThat(set.css(List.of("pages/p/p"))).isEqualTo(StyleSet.RPX_DEFINITION + "\n" + set.sheet("pages/p/p").orElseThrow().css());
    }

    @Test
    void inlinerReplacesAssetUrlsWithItsDataUri() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(/i.png) no-repeat;top:0}", "i.png", "x");
        String css = set.css(List.of("pages/p/p"), path -> Optional.of("data:image/png;base64,QUJD"));
        assertThat(css).endsWith("{background:url(\"data:image/png;base64,QUJD\") no-repeat;top:0}");
    }

    @Test
    void declarationIsLeftOutWhenTheInlinerHasNoAnswer() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(/i.png) no-repeat;top:0}", "i.png", "x");
        assertThat(set.css(List.of("pages/p/p"), path -> Optional.empty())).endsWith("{;top:0}").doesNotContain("i.png");
    }

    @Test
    void inlinerAnswerThatIsNotAnImageOrFontDataUriIsRefused() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(/i.png);top:0}", "i.png", "x");
        for (String bad : List.of("data:text/html;base64,PHNjcmlwdD4=", "https://evil.example/i.png", "javascript:alert(1)",
                "data:image/png;base64,AA\")}body{color:red")) {
            assertThat(set.css(List.of("pages/p/p"), path -> Optional.of(bad))).endsWith("{;top:0}");
        }
    }

    @Test
    void aSameOriginPathAnswerIsWrittenAsTheHostShellServesAssets() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(/i.png) no-repeat;top:0}", "i.png", "x");
        String css = set.css(List.of("pages/p/p"), path -> Optional.of("/shell/s/0123abcd/assets/" + path + "?v=1"));
        assertThat(css).endsWith("{background:url(\"/shell/s/0123abcd/assets/i.png?v=1\") no-repeat;top:0}");
    }

    @Test
    void theShellsFramedCssMeasuresRpxByTheFrameAndTheStaticOneByTheWindow() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{width:750rpx}");
        assertThat(set.css(List.of("pages/p/p"), path -> Optional.empty(), StyleSet.RpxBase.FRAME))
                .startsWith("._capsule-page{--rpx:calc(100cqw / 750)}\n").endsWith("{width:calc(750 * var(--rpx))}");
        assertThat(set.css(List.of("pages/p/p"), path -> Optional.empty())).startsWith("._capsule-page{--rpx:calc(100vw / 750)}\n");
    }

    @Test
    void aPathAnswerThatCouldLeaveTheOriginOrTheUrlIsRefused() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(/i.png);top:0}", "i.png", "x");
        for (String bad : List.of("//evil.example/i.png", "/\\evil.example/i.png", "/i.png\")}body{color:red", "/i.png') x", "/i png",
                "/i.png\n", "shell/s/x/i.png", "/i.png#x", "/i.png?a=<b>", "/i\u2028.png")) {
            assertThat(StyleSet.isAssetAnswer(bad)).as(bad).isFalse();
            assertThat(set.css(List.of("pages/p/p"), path -> Optional.of(bad))).as(bad).endsWith("{;top:0}");
        }
        assertThat(StyleSet.isSameOriginPath("/shell/s/x/assets/a%20b.png")).isTrue();
        assertThat(StyleSet.isSameOriginPath("data:image/png;base64,QUJD")).isFalse();
    }

    @Test
    void withoutAnInlinerAssetsArePackagePaths() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a{background:url(i.png)}", "pages/p/i.png", "x");
        assertThat(set.css(List.of("pages/p/p"))).contains("url(\"/pages/p/i.png\")");
    }
}
