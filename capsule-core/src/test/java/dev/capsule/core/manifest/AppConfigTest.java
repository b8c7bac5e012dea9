package dev.capsule.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppConfigTest {
    private static final Set<String> FILES = Set.of("app.js", "pages/index/index.js", "pages/about/about.js");

    private static AppConfig parse(String json) throws ManifestException {
        return AppConfig.parse(json.getBytes(StandardCharsets.UTF_8), FILES::contains);
    }

    @Test
    void firstPageIsTheEntryAndWeChatFieldsAreTolerated() throws Exception {
        AppConfig app = parse("{\"pages\":[\"pages/index/index\",\"pages/about/about\"],\"window\":{\"navigationBarTitleText\":\"T\"},\"style\":\"v2\"}");
        assertThat(app.entryPage()).isEqualTo("pages/index/index");
        assertThat(app.pages()).hasSize(2);
    }

    @Test
    void entryPagePathMovesThatPageFirst() throws Exception {
        assertThat(parse("{\"pages\":[\"pages/index/index\",\"pages/about/about\"],\"entryPagePath\":\"pages/about/about\"}").entryPage())
                .isEqualTo("pages/about/about");
    }

    @Test
    void everyPageNeedsItsScript() {
        assertThatThrownBy(() -> parse("{\"pages\":[\"pages/index/index\",\"pages/missing/missing\"]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("pages[1]").hasMessageContaining("has no pages/missing/missing.js");
    }

    @Test
    void pagesMustBePlainRelativePaths() {
        for (String bad : new String[] {"/pages/index/index", "pages/index/index.js", "../pages/x", "pages//x"}) {
            assertThatThrownBy(() -> parse("{\"pages\":[\"" + bad + "\"]}")).as(bad).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("must be a page path");
        }
    }

    @Test
    void pagesAreRequiredAndUnique() {
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(ManifestException.class).hasMessageContaining("at least one page");
        assertThatThrownBy(() -> parse("{\"pages\":[\"pages/index/index\",\"pages/index/index\"]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("listed twice");
    }

    @Test
    void tabBarPagesMustBeListedPages() {
        assertThatThrownBy(() -> parse("{\"pages\":[\"pages/index/index\"],\"tabBar\":{\"list\":[{\"pagePath\":\"pages/about/about\",\"text\":\"A\"}]}}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("tabBar.list[0].pagePath");
    }

    @Test
    void workersAreAcceptedButNeverSilently() throws Exception {
        // Once refused; now accepted like plugins, with a warning naming what is absent (wx.createWorker).
        assertThat(parse("{\"pages\":[\"pages/index/index\"],\"workers\":\"workers\"}").warnings())
                .singleElement().asString().contains("workers", "wx.createWorker is absent");
        assertThat(parse("{\"pages\":[\"pages/index/index\"]}").warnings()).isEmpty();
    }

    @Test
    void appScriptIsRequired() {
        assertThatThrownBy(() -> AppConfig.parse("{\"pages\":[\"pages/index/index\"]}".getBytes(StandardCharsets.UTF_8),
                p -> p.equals("pages/index/index.js"))).isInstanceOf(ManifestException.class).hasMessageContaining("no app.js");
    }
}
