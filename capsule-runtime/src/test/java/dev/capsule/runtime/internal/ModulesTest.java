package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.AppConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** WeChat's require rules between the main package, a subpackage and an independent subpackage. */
class ModulesTest {
    private static final AppConfig APP = app();

    private static AppConfig app() {
        try {
            return AppConfig.parse(("{\"pages\":[\"pages/index/index\"],\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"cart/cart\"]},"
                    + "{\"root\":\"news\",\"pages\":[\"list/list\"]},"
                    + "{\"root\":\"solo\",\"name\":\"alone\",\"pages\":[\"p/p\"],\"independent\":true}]}").getBytes(StandardCharsets.UTF_8), p -> true);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSubpackageMayRequireItselfAndTheMainPackage() {
        assertThat(Modules.crossPackage(APP, "shop/cart/cart.js", "shop/lib.js")).isEqualTo("shop/lib.js");
        assertThat(Modules.crossPackage(APP, "shop/cart/cart.js", "utils/a.js")).isEqualTo("utils/a.js");
        assertThat(Modules.crossPackage(APP, "shop/cart/cart.js", "miniprogram_npm/x/index.js")).isEqualTo("miniprogram_npm/x/index.js");
    }

    @Test
    void aSubpackageMayNotRequireAnotherSubpackage() {
        assertThat(Modules.crossPackage(APP, "shop/cart/cart.js", "news/lib.js")).isEqualTo(
                "!require: 'shop/cart/cart.js' in subpackage 'shop' (shop/) may not require 'news/lib.js' in subpackage 'news' (news/)"
                        + " (a subpackage may require only its own files and the main package's)");
    }

    @Test
    void theMainPackageMayRequireOnlyItself() {
        assertThat(Modules.crossPackage(APP, "pages/index/index.js", "utils/a.js")).isEqualTo("utils/a.js");
        assertThat(Modules.crossPackage(APP, "pages/index/index.js", "shop/lib.js")).startsWith("!require: 'pages/index/index.js' in the main package may not require 'shop/lib.js' in subpackage 'shop' (shop/)");
    }

    @Test
    void anIndependentSubpackageMayRequireOnlyItself() {
        assertThat(Modules.crossPackage(APP, "solo/p/p.js", "solo/lib.js")).isEqualTo("solo/lib.js");
        assertThat(Modules.crossPackage(APP, "solo/p/p.js", "utils/a.js")).isEqualTo(
                "!require: 'solo/p/p.js' in independent subpackage 'alone' (solo/) may not require 'utils/a.js' in the main package"
                        + " (an independent subpackage may require only its own files)");
        assertThat(Modules.crossPackage(APP, "solo/p/p.js", "shop/lib.js")).startsWith("!require: 'solo/p/p.js' in independent subpackage 'alone' (solo/) may not require 'shop/lib.js' in subpackage 'shop'");
    }
}
