package dev.capsule.runtime.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Package files become data: URIs only when they are images or fonts within the size cap. */
class AssetSourceTest {

    @Test
    void imagesAndFontsInlineOtherFilesDoNot() {
        AssetSource assets = AssetSource.of(Map.of("a.PNG", new byte[] {1, 2}, "f/x.woff2", new byte[] {3}, "page.html", new byte[] {4},
                "app.js", new byte[] {5}, "noext", new byte[] {6}, "big.png", new byte[AssetSource.INLINE_BYTES_MAX + 1],
                "edge.png", new byte[AssetSource.INLINE_BYTES_MAX]));
        assertThat(assets.dataUri("a.PNG")).contains("data:image/png;base64,AQI=");
        assertThat(assets.dataUri("f/x.woff2")).contains("data:font/woff2;base64,Aw==");
        assertThat(assets.dataUri("page.html")).isEmpty();
        assertThat(assets.dataUri("app.js")).isEmpty();
        assertThat(assets.dataUri("noext")).isEmpty();
        assertThat(assets.dataUri("missing.png")).isEmpty();
        assertThat(assets.dataUri("big.png")).isEmpty();
        assertThat(assets.dataUri("edge.png")).isPresent();
        assertThat(AssetSource.NONE.dataUri("a.png")).isEmpty();
    }

    @Test
    void aFontIsNeverAnImageSource() {
        ViewTree tree = Views.tree();
        Views.apply(tree, Views.ops(Views.element(2, "image", 1)));
        Views.apply(tree, new ViewOp.SetAttribute(Views.id(2), "src", "/f/x.woff2"));
        String html = HtmlRenderer.render(tree, "", AssetSource.of(Map.of("f/x.woff2", new byte[] {3})));
        assertThat(org.jsoup.Jsoup.parse(html).select("img").hasAttr("src")).isFalse();
    }
}
