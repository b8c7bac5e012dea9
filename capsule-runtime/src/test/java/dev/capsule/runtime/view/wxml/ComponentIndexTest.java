package dev.capsule.runtime.view.wxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.AppConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** usingComponents resolution (relative, absolute, miniprogram_npm nearest-first), generics, placeholders, refusals. */
class ComponentIndexTest {
    private static final AppConfig APP = new AppConfig("pages/index/index", List.of("pages/index/index"), List.of(), List.of(),
            List.of(), List.of());

    private static Map<String, byte[]> files(String... pathsAndTexts) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            m.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    private static final String COMPONENT = "{\"component\": true}";

    @Test
    void resolvesRelativeAbsoluteAndNpmNearestFirst() throws WxmlException {
        ComponentIndex index = ComponentIndex.resolve(files(
                "app.json", "{\"pages\": [\"pages/index/index\"], \"usingComponents\": {\"g-icon\": \"/components/icon/icon\"}}",
                "pages/index/index.json", """
                        {"usingComponents": {"card": "../../components/card/card", "btn": "@scope/ui/button",
                         "list": "/components/list", "local": "parts/local"},
                         "componentPlaceholder": {"card": "view"}, "styleIsolation": "apply-shared"}""",
                "pages/index/parts/local.json", COMPONENT,
                "components/icon/icon.json", COMPONENT,
                "components/card/card.json", "{\"component\": true, \"usingComponents\": {\"btn\": \"@scope/ui/button\"},"
                        + " \"componentGenerics\": {\"item\": {\"default\": \"../icon/icon\"}, \"other\": true}}",
                "components/list/index.json", COMPONENT,
                // the nearer miniprogram_npm wins for the page; the card, in another folder, gets the root one
                "pages/index/miniprogram_npm/@scope/ui/button/index.json", COMPONENT,
                "miniprogram_npm/@scope/ui/button.json", COMPONENT), APP);
        assertThat(index.resolveTag("pages/index/index", "card")).contains("components/card/card");
        assertThat(index.resolveTag("pages/index/index", "list")).contains("components/list/index");
        assertThat(index.resolveTag("pages/index/index", "local")).contains("pages/index/parts/local");
        assertThat(index.resolveTag("pages/index/index", "btn")).contains("pages/index/miniprogram_npm/@scope/ui/button/index");
        assertThat(index.resolveTag("components/card/card", "btn")).contains("miniprogram_npm/@scope/ui/button");
        assertThat(index.resolveTag("components/card/card", "g-icon")).contains("components/icon/icon");
        assertThat(index.resolveTag("pages/index/index", "view")).isEmpty();
        ComponentDecl page = index.of("pages/index/index").orElseThrow();
        assertThat(page.component()).isFalse();
        assertThat(page.placeholders()).containsEntry("card", "view");
        assertThat(page.styleIsolation()).isEqualTo(StyleIsolation.APPLY_SHARED);
        ComponentDecl card = index.of("components/card/card").orElseThrow();
        assertThat(card.component()).isTrue();
        assertThat(card.generics()).containsEntry("item", new ComponentDecl.Generic("item", "components/icon/icon"))
                .containsEntry("other", new ComponentDecl.Generic("other", null));
        assertThat(index.all()).containsKeys("components/icon/icon", "miniprogram_npm/@scope/ui/button");
    }

    @Test
    void pluginComponentsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"map\": \"plugin://myPlugin/map\"}}"), APP))
                .isInstanceOf(WxmlException.class)
                .hasMessage("pages/index/index.json: usingComponents.map is the plugin component 'plugin://myPlugin/map':"
                        + " Capsule runs no plugin code, so plugin components are not supported");
    }

    @Test
    void anUnresolvableComponentNamesTheJsonFile() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"x\": \"../../nowhere/x\"}}"), APP))
                .isInstanceOf(WxmlException.class)
                .hasMessageStartingWith("pages/index/index.json: usingComponents.x '../../nowhere/x' names no component in the package");
    }

    @Test
    void aComponentMustDeclareItself() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"x\": \"/c/x\"}}",
                "c/x.json", "{}"), APP))
                .isInstanceOf(WxmlException.class).hasMessage("c/x.json: is used as a component but does not declare \"component\": true");
    }

    @Test
    void pathsLeavingThePackageAreRefused() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"x\": \"../../../x\"}}"), APP))
                .isInstanceOf(WxmlException.class).hasMessageContaining("is not a package path");
    }

    @Test
    void tagNamesFollowWeChatsRule() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"MyComp\": \"/c/x\"}}", "c/x.json", COMPONENT), APP))
                .isInstanceOf(WxmlException.class).hasMessageContaining("usingComponents key 'MyComp' is not a component tag name");
    }

    @Test
    void badFieldsAreRefused() {
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"styleIsolation\": \"leaky\"}"), APP))
                .isInstanceOf(WxmlException.class).hasMessageContaining("styleIsolation is one of");
        assertThatThrownBy(() -> ComponentIndex.resolve(files(
                "pages/index/index.json", "{\"usingComponents\": {\"a\": \"/c/x\"}, \"componentPlaceholder\": {\"b\": \"view\"}}",
                "c/x.json", COMPONENT), APP))
                .isInstanceOf(WxmlException.class).hasMessageContaining("componentPlaceholder names 'b'");
        assertThatThrownBy(() -> ComponentIndex.resolve(files("pages/index/index.json", "{\"usingComponents\": ["), APP))
                .isInstanceOf(WxmlException.class).hasMessageStartingWith("pages/index/index.json: not valid JSON");
    }

    @Test
    void aPageWithoutJsonUsesOnlyAppComponents() throws WxmlException {
        ComponentIndex index = ComponentIndex.resolve(files(
                "app.json", "{\"pages\": [\"pages/index/index\"], \"usingComponents\": {\"g\": \"c/g\"}}", "c/g.json", COMPONENT), APP);
        assertThat(index.of("pages/index/index").orElseThrow().usingComponents()).isEmpty();
        assertThat(index.resolveTag("pages/index/index", "g")).contains("c/g");
        assertThat(index.appComponents()).containsEntry("g", "c/g");
    }
}
