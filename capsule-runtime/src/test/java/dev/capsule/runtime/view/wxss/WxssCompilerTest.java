package dev.capsule.runtime.view.wxss;

import static dev.capsule.runtime.view.wxss.Sheets.S;
import static dev.capsule.runtime.view.wxss.Sheets.compile;
import static dev.capsule.runtime.view.wxss.Sheets.files;
import static dev.capsule.runtime.view.wxss.Sheets.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.HostName;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden compile tests: one rule of docs/view.md "Styles" each. */
class WxssCompilerTest {

    @Test
    void rpxBecomesAMultipleOfTheRpxVariableEverywhere() throws Exception {
        assertThat(page(".a { width: 750rpx; margin: 10rpx -20rpx 1.5RPX +2rpx; }"))
                .isEqualTo("." + "a." + S + "{width:calc(750 * var(--rpx));margin:calc(10 * var(--rpx)) calc(-20 * var(--rpx)) "
                        + "calc(1.5 * var(--rpx)) calc(2 * var(--rpx))}");
    }

    @Test
    void rpxInsideCalcShorthandsAndFunctionsIsConverted() throws Exception {
        assertThat(page(".a { height: calc(100vh - 88rpx * 2); box-shadow: 0 2rpx 4rpx rgba(0,0,0,.1); transform: translate(10rpx, 2px); }"))
                .isEqualTo(".a." + S + "{height:calc(100vh - calc(88 * var(--rpx)) * 2);"
                        + "box-shadow:0 calc(2 * var(--rpx)) calc(4 * var(--rpx)) rgba(0,0,0,.1);"
                        + "transform:translate(calc(10 * var(--rpx)),2px)}");
    }

    @Test
    void rpxInsideNamesStringsAndUrlsIsLeftAlone() throws Exception {
        assertThat(page(".m10rpx { content: \"10rpx\"; color: red }"))
                .isEqualTo(".m10rpx." + S + "{content:\"10rpx\";color:red}");
    }

    @Test
    void everyCompoundIsScopedAndCombinatorsKept() throws Exception {
        // a type selector becomes the built-in's type class (a view renders as a div carrying _capsule-view)
        assertThat(page("view .a > .b + text ~ #c { color: red }"))
                .isEqualTo("._capsule-view." + S + " .a." + S + ">.b." + S + "+._capsule-text." + S + "~#c." + S + "{color:red}");
    }

    @Test
    void scopeGoesBeforeAPseudoElement() throws Exception {
        assertThat(page(".a::after, .b:before, .c:hover { color: red }"))
                .isEqualTo(".a." + S + "::after,.b." + S + ":before,.c:hover." + S + "{color:red}");
    }

    @Test
    void pageSelectorIsThePageRoot() throws Exception {
        assertThat(page("page { background: #fff }"))
                .isEqualTo("." + StyleSet.PAGE_ROOT_CLASS + "." + S + "{background:#fff}");
    }

    @Test
    void hostSelectorIsTheComponentHostClass() throws Exception {
        String host = StyleSet.hostClass("components/c/c");
        String scope = StyleSet.scopeClass("components/c/c");
        String css = compile("components/c/c.wxss", ":host { display: block } :host(.big) .x { color: red }")
                .sheet("components/c/c").orElseThrow().css();
        assertThat(css).isEqualTo("." + host + "{display:block}." + host + ".big .x." + scope + "{color:red}");
    }

    @Test
    void importantStays() throws Exception {
        assertThat(page(".a { color: red !important }")).isEqualTo(".a." + S + "{color:red !important}");
    }

    @Test
    void mediaKeepsItsRulesScoped() throws Exception {
        assertThat(page("@media (max-width: 600px) and (orientation: portrait) { .m { font-size: 24rpx } }"))
                .isEqualTo("@media (max-width:600px) and (orientation:portrait){.m." + S + "{font-size:calc(24 * var(--rpx))}}");
    }

    @Test
    void supportsKeepsItsRulesScoped() throws Exception {
        assertThat(page("@supports (display: grid) { .s { display: grid } }"))
                .isEqualTo("@supports (display:grid){.s." + S + "{display:grid}}");
    }

    @Test
    void keyframesArePrefixedPerSheetAndAnimationsFollow() throws Exception {
        assertThat(page("@keyframes spin { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } } .a { animation: spin 1s infinite }"))
                .isEqualTo("@keyframes " + S + "-spin{from{opacity:0}50%{opacity:.5}to{opacity:1}}"
                        + ".a." + S + "{animation:" + S + "-spin 1s infinite}");
    }

    @Test
    void pagesUseKeyframesOfAppUnderAppsName() throws Exception {
        StyleSet set = compile("app.wxss", "@keyframes fade { to { opacity: 0 } }", "pages/p/p.wxss", ".a { animation-name: fade }");
        String app = StyleSet.scopeClass("app");
        assertThat(set.sheet("app").orElseThrow().css()).isEqualTo("@keyframes " + app + "-fade{to{opacity:0}}");
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).isEqualTo(".a." + S + "{animation-name:" + app + "-fade}");
    }

    @Test
    void twoSheetsKeyframesOfTheSameNameDoNotClobberEachOther() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "@keyframes k { to { top: 0 } }", "pages/q/q.wxss", "@keyframes k { to { top: 1px } }");
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).startsWith("@keyframes " + S + "-k{");
        assertThat(set.sheet("pages/q/q").orElseThrow().css()).startsWith("@keyframes " + StyleSet.scopeClass("pages/q/q") + "-k{");
    }

    @Test
    void importOfPackageFilesIsInlinedUnderTheImportersScope() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "@import \"../../common/base.wxss\"; @import \"/common/abs.wxss\"; .p { top: 0 }",
                "common/base.wxss", ".base { width: 10rpx }", "common/abs.wxss", ".abs { left: 0 }");
        assertThat(set.sheet("pages/p/p").orElseThrow().css())
                .isEqualTo(".base." + S + "{width:calc(10 * var(--rpx))}.abs." + S + "{left:0}.p." + S + "{top:0}");
    }

    @Test
    void importWithoutExtensionFindsTheWxssFile() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "@import \"base\";", "pages/p/base.wxss", ".b { top: 0 }");
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).isEqualTo(".b." + S + "{top:0}");
    }

    @Test
    void importWithMediaBecomesAMediaRule() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "@import \"w.wxss\" screen;", "pages/p/w.wxss", ".w { top: 0 }");
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).isEqualTo("@media screen{.w." + S + "{top:0}}");
    }

    @Test
    void importCycleIsRefused() {
        assertThatThrownBy(() -> compile("a.wxss", "@import \"b.wxss\";", "b.wxss", "@import \"a.wxss\";"))
                .isInstanceOf(WxssException.class).hasMessageContaining("@import cycle");
    }

    @Test
    void importOfAMissingFileIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> compile("pages/p/p.wxss", "\n@import \"nope.wxss\";"))
                .isInstanceOf(WxssException.class)
                .hasMessage("pages/p/p.wxss:2:1: @import \"nope.wxss\" is not a .wxss file of the package");
    }

    @Test
    void importChainDeeperThanTheLimitIsRefused() {
        String[] chain = new String[2 * (WxssCompiler.IMPORT_DEPTH_MAX + 2)];
        for (int i = 0; i <= WxssCompiler.IMPORT_DEPTH_MAX + 1; i++) {
            chain[2 * i] = "s" + i + ".wxss";
            chain[2 * i + 1] = "@import \"s" + (i + 1) + ".wxss\";";
        }
        chain[chain.length - 1] = ".end { top: 0 }";
        assertThatThrownBy(() -> compile(chain)).isInstanceOf(WxssException.class).hasMessageContaining("deeper than");
    }

    @Test
    void importChainAtTheLimitCompiles() throws Exception {
        String[] chain = new String[2 * WxssCompiler.IMPORT_DEPTH_MAX];
        for (int i = 0; i < WxssCompiler.IMPORT_DEPTH_MAX; i++) {
            chain[2 * i] = "s" + i + ".wxss";
            chain[2 * i + 1] = "@import \"s" + (i + 1) + ".wxss\";";
        }
        chain[chain.length - 1] = ".end { top: 0 }";
        assertThat(compile(chain).sheet("s0").orElseThrow().css()).isEqualTo(".end." + StyleSet.scopeClass("s0") + "{top:0}");
    }

    @Test
    void diamondImportsCannotMultiplyBeyondTheFanOutLimit() {
        // 12 levels of two imports each would inline 2^12 files
        String[] files = new String[2 * 13];
        for (int i = 0; i < 12; i++) {
            files[2 * i] = "d" + i + ".wxss";
            files[2 * i + 1] = "@import \"d" + (i + 1) + ".wxss\"; @import \"d" + (i + 1) + ".wxss\";";
        }
        files[24] = "d12.wxss";
        files[25] = ".leaf { top: 0 }";
        assertThatThrownBy(() -> compile(files)).isInstanceOf(WxssException.class)
                .hasMessageContaining("more than " + WxssCompiler.IMPORTED_FILES_PER_SHEET_MAX);
    }

    @Test
    void packageAssetUrlsResolveRelativeAndAbsolute() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", ".a { background: url(../../images/a.png) } .b { background-image: url('/images/a.png?v=2#x') }",
                "images/a.png", "png");
        CompiledSheet sheet = set.sheet("pages/p/p").orElseThrow();
        assertThat(sheet.css()).isEqualTo(".a." + S + "{background:url(\"/images/a.png\")}.b." + S + "{background-image:url(\"/images/a.png\")}");
        assertThat(sheet.assets()).containsExactly("images/a.png");
        assertThat(set.warnings()).isEmpty();
    }

    @Test
    void urlsInImportedFilesResolveAgainstTheImportedFile() throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "@import \"/common/c.wxss\";", "common/c.wxss", ".c { background: url(img/x.png) }",
                "common/img/x.png", "png");
        assertThat(set.sheet("pages/p/p").orElseThrow().assets()).containsExactly("common/img/x.png");
    }

    @Test
    void allowlistedHttpsHostsStay() throws Exception {
        StyleSet set = WxssCompiler.compilePackage(files("pages/p/p.wxss", ".a { background: url(https://img.example.com/a.png?x=1) }"),
                Set.of(HostName.parse("img.example.com")));
        assertThat(set.sheet("pages/p/p").orElseThrow().css())
                .isEqualTo(".a." + S + "{background:url(\"https://img.example.com/a.png?x=1\")}");
        assertThat(set.warnings()).isEmpty();
    }

    @Test
    void inlineBase64ImagesStay() throws Exception {
        assertThat(page(".a { background: url(data:image/png;base64,iVBORw0KGgo=) }"))
                .isEqualTo(".a." + S + "{background:url(\"data:image/png;base64,iVBORw0KGgo=\")}");
    }

    @Test
    void fontFaceFromThePackageStays() throws Exception {
        StyleSet set = compile("app.wxss", "@font-face { font-family: \"Icons\"; src: url(\"fonts/i.woff2\") format(\"woff2\") }",
                "fonts/i.woff2", "w");
        assertThat(set.sheet("app").orElseThrow().css())
                .isEqualTo("@font-face{font-family:\"Icons\";src:url(\"/fonts/i.woff2\") format(\"woff2\")}");
    }

    @Test
    void stringsAreReEscapedSoTheyCannotEndAStyleElement() throws Exception {
        assertThat(page(".a[title=\"</style><script>\"] { content: \"</style>\\\"&\" }"))
                .isEqualTo(".a[title=\"\\3c /style\\3e \\3c script\\3e \"]." + S + "{content:\"\\3c /style\\3e \\22 \\26 \"}");
    }

    @Test
    void syntaxErrorIsRefusedWithPathLineAndColumn() {
        assertThatThrownBy(() -> page(".a { color: red }\n.b { color: }}\n"))
                .isInstanceOfSatisfying(WxssException.class, e -> {
                    assertThat(e.path()).isEqualTo("pages/p/p.wxss");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).startsWith("pages/p/p.wxss:2:");
                });
    }

    @Test
    void errorColumnsCountTheOriginalTextNotTheRpxRewrite() {
        // "calc(10 * var(--rpx))" is longer than "10rpx": the column must still be the original one
        String text = ".a { margin: 10rpx 10rpx; color: }";
        assertThatThrownBy(() -> page(text))
                .isInstanceOfSatisfying(WxssException.class, e -> assertThat(e.column()).isEqualTo(text.indexOf('}') + 1));
    }

    @Test
    void ieHackPropertyIsASyntaxError() {
        assertThatThrownBy(() -> page(".x { *zoom: 1 }")).isInstanceOf(WxssException.class).hasMessageStartingWith("pages/p/p.wxss:1:");
    }

    @Test
    void unclosedBlockIsRefused() {
        assertThatThrownBy(() -> page(".a { color: red")).isInstanceOf(WxssException.class);
    }

    @Test
    void notUtf8IsRefused() {
        assertThatThrownBy(() -> WxssCompiler.compilePackage(java.util.Map.of("a.wxss", new byte[] {(byte) 0xff, (byte) 0xfe, 0x41})))
                .isInstanceOf(WxssException.class).hasMessage("a.wxss:1:1: stylesheet is not UTF-8");
    }

    @Test
    void sheetLargerThanTheLimitIsRefusedAndOneAtTheLimitIsNot() throws Exception {
        String rule = ".a{margin:0 auto;padding:0}\n";
        String atLimit = rule.repeat(WxssCompiler.SHEET_BYTES_MAX / rule.length());
        assertThat(page(atLimit)).startsWith(".a." + S);
        String over = atLimit + " ".repeat(WxssCompiler.SHEET_BYTES_MAX - atLimit.length() + 1);
        assertThatThrownBy(() -> page(over)).isInstanceOf(WxssException.class).hasMessageContaining("more than " + WxssCompiler.SHEET_BYTES_MAX);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = ".a:not(".repeat(RpxLexer.NESTING_DEPTH_MAX + 1) + ".b" + ")".repeat(RpxLexer.NESTING_DEPTH_MAX + 1) + "{top:0}";
        assertThatThrownBy(() -> page(deep)).isInstanceOf(WxssException.class).hasMessageContaining("nested deeper than");
    }

    @Test
    void everySheetOfThePackageIsCompiledUnderItsPathWithoutExtension() throws Exception {
        StyleSet set = compile("app.wxss", ".x{top:0}", "pages/p/p.wxss", ".y{top:0}", "components/c/c.wxss", ".z{top:0}", "pages/p/p.js", "x");
        assertThat(set.sheet("app")).isPresent();
        assertThat(set.sheet("pages/p/p")).isPresent();
        assertThat(set.sheet("components/c/c").orElseThrow().scopeClass()).isEqualTo(StyleSet.scopeClass("components/c/c"));
        assertThat(set.sheet("pages/p/p.wxss")).isEmpty();
        assertThat(set.sheet("pages/q/q")).isEmpty();
    }
}
