package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Linking a package's templates: imports, includes and wxs src to package paths; what is refused. */
class TemplateSetTest {
    private static Map<String, byte[]> files(String... pathsAndTexts) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            m.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void importsIncludesAndWxsResolveToPackagePaths() throws WxmlException {
        TemplateSet set = TemplateSet.compile(files(
                "pages/index/index.wxml", """
                        <import src="../../common/cards.wxml"/>
                        <import src="/common/more"/>
                        <wxs module="fmt" src="./fmt.wxs"/>
                        <wxs module="inline">module.exports = {};</wxs>
                        <template name="card">own</template>
                        <view><include src="parts/head"/></view>
                        <template is="card"/>""",
                "pages/index/parts/head.wxml", "<text>head</text>",
                "pages/index/fmt.wxs", "module.exports = {};",
                "common/cards.wxml", "<template name=\"card\">imported</template><template name=\"badge\">b</template>",
                "common/more.wxml", "<import src=\"./deeper\"/><template name=\"more\">m</template>",
                "common/deeper.wxml", "<template name=\"deep\">d</template>",
                "app.js", "App({})"));
        ResolvedTemplate page = set.page("pages/index/index").orElseThrow();
        assertThat(page.templates().keySet()).containsExactlyInAnyOrder("card", "badge", "more");
        // its own definition wins over an imported one of the same name; imports are not transitive (no "deep")
        assertThat(page.templates().get("card").file()).isEqualTo("pages/index/index");
        assertThat(page.templates().get("badge").file()).isEqualTo("common/cards");
        assertThat(page.wxs()).extracting(WxsModuleDef::module, WxsModuleDef::src)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fmt", "pages/index/fmt.wxs"), org.assertj.core.groups.Tuple.tuple("inline", null));
        TElement view = (TElement) page.children().getFirst();
        assertThat(view.children()).containsExactly(new TInclude("pages/index/parts/head"));
        assertThat(set.page("pages/index/parts/head")).isPresent();
        assertThat(set.wxsFiles()).containsOnlyKeys("pages/index/fmt.wxs");
        assertThat(set.page("pages/none")).isEmpty();
    }

    @Test
    void aMissingImportIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> TemplateSet.compile(files("a.wxml", "\n  <import src=\"./nope.wxml\"/>")))
                .isInstanceOf(WxmlException.class)
                .hasMessage("a.wxml:2:3: import src './nope.wxml' names nope.wxml, which the package does not have");
    }

    @Test
    void aMissingIncludeIsRefused() {
        assertThatThrownBy(() -> TemplateSet.compile(files("p/a.wxml", "<view><include src=\"b\"/></view>")))
                .isInstanceOf(WxmlException.class).hasMessageContaining("include src 'b' names p/b.wxml, which the package does not have");
    }

    @Test
    void aMissingWxsFileIsRefused() {
        assertThatThrownBy(() -> TemplateSet.compile(files("a.wxml", "<wxs module=\"m\" src=\"m.wxs\"/>")))
                .isInstanceOf(WxmlException.class).hasMessageContaining("wxs src 'm.wxs' names m.wxs");
    }

    @Test
    void referencesOutsideThePackageAreRefused() {
        assertThatThrownBy(() -> TemplateSet.compile(files("a.wxml", "<import src=\"../../etc/x.wxml\"/>")))
                .isInstanceOf(WxmlException.class).hasMessageContaining("is not a package path");
        assertThatThrownBy(() -> TemplateSet.compile(files("a.wxml", "<include src=\"https://evil/x.wxml\"/>")))
                .isInstanceOf(WxmlException.class).hasMessageContaining("is not a package path");
    }

    @Test
    void includeCyclesAreRefused() {
        assertThatThrownBy(() -> TemplateSet.compile(files(
                "a.wxml", "<include src=\"b\"/>",
                "b.wxml", "<view><include src=\"c\"/></view>",
                "c.wxml", "<include src=\"/a.wxml\"/>")))
                .isInstanceOf(WxmlException.class).hasMessage("a.wxml: include cycle: a.wxml -> b.wxml -> c.wxml -> a.wxml");
        assertThatThrownBy(() -> TemplateSet.compile(files("self.wxml", "<include src=\"self\"/>")))
                .isInstanceOf(WxmlException.class).hasMessageContaining("include cycle");
    }

    @Test
    void importCyclesAreHarmlessSinceImportsAreNotTransitive() throws WxmlException {
        TemplateSet set = TemplateSet.compile(files(
                "a.wxml", "<import src=\"b\"/><template name=\"ta\">a</template>",
                "b.wxml", "<import src=\"a\"/><template name=\"tb\">b</template>"));
        assertThat(set.page("a").orElseThrow().templates().keySet()).containsExactlyInAnyOrder("ta", "tb");
    }

    @Test
    void aFileOverTheLimitOrNotUtf8IsRefused() {
        byte[] big = new byte[TemplateSet.FILE_BYTES_MAX + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        assertThatThrownBy(() -> TemplateSet.compile(Map.of("big.wxml", big)))
                .isInstanceOf(WxmlException.class).hasMessage("big.wxml: larger than " + TemplateSet.FILE_BYTES_MAX + " bytes");
        assertThatThrownBy(() -> TemplateSet.compile(Map.of("bad.wxml", new byte[] {(byte) 0xff, 'a'})))
                .isInstanceOf(WxmlException.class).hasMessage("bad.wxml: not valid UTF-8");
    }

    @Test
    void aParseErrorNamesItsFile() {
        assertThatThrownBy(() -> TemplateSet.compile(files("ok.wxml", "<view/>", "pages/x.wxml", "<view>\n<text></view>")))
                .isInstanceOf(WxmlException.class).hasMessage("pages/x.wxml:2:7: </view> does not close <text> opened at 2:1");
    }

    @Test
    void errorMessagesAreOneEscapedLineWhateverTheGuestWrote() {
        assertThatThrownBy(() -> TemplateSet.compile(files("a.wxml", "<import src=\"x&#10;y\u2028z\"/>")))
                .isInstanceOf(WxmlException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u2028").contains("x"));
    }
}
