package dev.capsule.runtime.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The built-in table is the one list: docs/view.md is generated from it, and its checks hold. */
class BuiltinsTest {
    private static final String TABLE_START = "<!-- builtins-table: generated from Builtins.markdownTable(); BuiltinsTest checks it -->\n";
    private static final String TABLE_END = "<!-- /builtins-table -->";

    @Test
    void docsComponentsTableIsGeneratedFromBuiltins() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/view.md"), StandardCharsets.UTF_8);
        int start = docs.indexOf(TABLE_START);
        int end = docs.indexOf(TABLE_END);
        assertThat(start).as("docs/view.md has the table markers").isPositive();
        assertThat(docs.substring(start + TABLE_START.length(), end))
                .as("docs/view.md's components table; replace it with:%n%s", Builtins.markdownTable())
                .isEqualTo(Builtins.markdownTable());
    }

    @Test
    void everyComponentTheIssueNamesIsBuiltInAndWebViewIsAbsent() {
        for (String tag : new String[] {"view", "text", "image", "button", "input", "textarea", "label", "form", "checkbox", "checkbox-group",
                "radio", "radio-group", "switch", "slider", "picker", "picker-view", "picker-view-column", "navigator", "scroll-view", "swiper",
                "swiper-item", "icon", "progress", "rich-text", "movable-area", "movable-view"}) {
            assertThat(Builtins.isBuiltin(tag)).as(tag).isTrue();
        }
        assertThat(Builtins.isBuiltin("web-view")).isFalse();
        assertThat(Builtins.ABSENT).containsKey("web-view");
        assertThat(Builtins.isBuiltin("video")).isFalse();
        assertThat(Builtins.builtin("picker").orElseThrow().attribute("mode").orElseThrow().choices())
                .containsExactly("selector", "multiSelector", "time", "date", "region");
    }

    @Test
    void noBuiltinAllowsAnEventHandlerStyleOrLinkAttribute() {
        for (Builtin b : Builtins.all()) {
            for (Builtin.Attribute a : b.attributes()) {
                assertThat(a.name()).as(b.tag()).doesNotStartWith("on").isNotIn("style", "class", "href", "action", "formaction", "srcdoc");
            }
        }
        assertThat(Builtins.checkAttribute("view", "onclick", "x", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("my-comp", "onclick", "x", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("my-comp", "id", "x", Views.URLS)).isEmpty();
    }

    @Test
    void valueKindsAcceptTheirFormsAndRefuseOthers() {
        assertThat(Builtins.checkAttribute("button", "disabled", "true", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("button", "disabled", "", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("button", "disabled", "yes", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("slider", "value", "-2.5e1", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("slider", "value", "NaN", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("slider", "value", "Infinity", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("checkbox", "color", "#09BB07", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("checkbox", "color", "rgba(0, 0, 0, .5)", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("checkbox", "color", "red;x:y", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("checkbox", "color", "url(x)", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("swiper", "previous-margin", "20rpx", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("swiper", "previous-margin", "calc(1px)", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("navigator", "url", "/pages/a/a?id=1&x=2", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("navigator", "url", "javascript:alert(1)", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("navigator", "url", "//evil.test/a", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("picker", "range", "[\"a\",\"b\"]", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("picker", "range", "[\"a\",", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("input", "placeholder", "ok\ttext", Views.URLS)).isEmpty();
        assertThat(Builtins.checkAttribute("input", "placeholder", "bad\u0000", Views.URLS)).isPresent();
        assertThat(Builtins.checkAttribute("input", "placeholder", "bad\ud800", Views.URLS)).isPresent();
    }

    @Test
    void imageUrlsArePackagePathsOrAllowlistedHttps() {
        UrlPolicy urls = Views.URLS;
        assertThat(urls.image("/images/a.png")).contains(new UrlPolicy.Target.PackageAsset("images/a.png"));
        assertThat(urls.image("https://img.example.com/a.png?x=1")).contains(new UrlPolicy.Target.Https("https://img.example.com/a.png?x=1"));
        for (String bad : new String[] {"https://img.example.com.evil.test/a.png", "https://user@img.example.com/a.png", "http://img.example.com/a.png",
                "HTTPS://img.example.com/a.png", "https://img.example.com:8443/a.png", "//img.example.com/a.png", "javascript:alert(1)",
                "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "data:image/png;base64,AAAA",
                "vbscript:msgbox(1)", "/a/../b.png", "/a/./b.png", "/a//b.png", "/a\\b.png", "images/a.png", "/a.png#x", "/a b.png",
                "https://img.example.com/a\".png", "https://img.example.com/<a>.png", "/\u0000.png"}) {
            assertThat(urls.image(bad)).as(bad).isEmpty();
        }
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "../../images/a.png")).contains("/images/a.png");
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "a.png")).contains("/pages/index/a.png");
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "/images/a.png")).contains("/images/a.png");
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "../../../a.png")).isEmpty();
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "javascript:alert(1)")).isEmpty();
        assertThat(UrlPolicy.resolve("pages/index/index.wxml", "https://img.example.com/a.png")).contains("https://img.example.com/a.png");
    }

    @Test
    void everyBuiltinRendersAsAnElementTheBuilderKnows() {
        for (Builtin b : Builtins.all()) {
            assertThat(Html.element(b.element())).isNotNull();
            assertThat(b.events()).allSatisfy(e -> assertThat(Builtins.emits(b.tag(), e)).isTrue());
        }
        assertThat(Builtins.emits("view", "tap")).isTrue();
        assertThat(Builtins.emits("view", "submit")).isFalse();
        assertThat(Builtins.emits("form", "submit")).isTrue();
        assertThat(Builtins.attribute("rich-text:img", "src").map(Builtin.Attribute::kind)).isEqualTo(Optional.of(ValueKind.IMAGE));
    }
}
