package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code require('name')} as WeChat's npm build lays packages out: {@code miniprogram_npm/<name>} in
 * the requiring file's folder first, then each folder above it; {@code package.json}'s {@code main}
 * (inside the package only), then {@code index.js}; {@code name/sub} as a file of the package; and
 * WeChat's rule that the main package may not require a subpackage. Resolution runs where the
 * session runs, so the first and the last are proved in both tiers.
 */
class NpmRequireTest {
    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = new Harness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** The index page requires each request and logs what it got or the error. */
    private static List<String> requireEach(String requests, String... files) {
        return requireEach(harness, requests, files);
    }

    private static List<String> requireEach(Harness harness, String requests, String... files) {
        String page = "Page({onLoad(){ for (const r of " + requests + ") {"
                + " try { console.log('loaded ' + r + ' ' + JSON.stringify(require(r))) } catch (e) { console.log(e.name + ': ' + e.message) } } }})";
        List<String> all = new ArrayList<>(List.of("pages/index/index.js", page));
        all.addAll(List.of(files));
        try (var run = harness.run(TestApps.app(all.toArray(String[]::new)))) {
            return run.events().logs();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aBareNameResolvesThroughTheNearestMiniprogramNpmFolderInBothTiers(Isolation tier) {
        List<String> logs = requireEach(Tiers.harness(tier), "['dayjs', 'tiny', '@scope/pkg']",
                "miniprogram_npm/dayjs/index.js", "module.exports = 'root dayjs';",
                "pages/index/miniprogram_npm/dayjs/index.js", "module.exports = 'page dayjs';",
                "miniprogram_npm/tiny/index.js", "module.exports = 'root tiny';",
                "miniprogram_npm/@scope/pkg/index.js", "module.exports = 'scoped';");
        assertThat(logs).contains("loaded dayjs \"page dayjs\"", "loaded tiny \"root tiny\"", "loaded @scope/pkg \"scoped\"");
    }

    @Test
    void packageJsonMainIsFollowedThenIndexJs() {
        List<String> logs = requireEach("['withmain', 'nomain', 'badmain']",
                "miniprogram_npm/withmain/package.json", "{\"name\":\"withmain\",\"main\":\"lib/entry\"}",
                "miniprogram_npm/withmain/lib/entry.js", "module.exports = 'entry';",
                "miniprogram_npm/withmain/index.js", "module.exports = 'index';",
                "miniprogram_npm/nomain/package.json", "{\"name\":\"nomain\"}",
                "miniprogram_npm/nomain/index.js", "module.exports = 'index';",
                "miniprogram_npm/badmain/package.json", "{\"main\":\"../withmain/lib/entry\"}",
                "miniprogram_npm/badmain/index.js", "module.exports = 'bad index';");
        assertThat(logs).contains("loaded withmain \"entry\"", "loaded nomain \"index\"",
                "Error: require: 'miniprogram_npm/badmain/package.json' names a main outside its package: '../withmain/lib/entry'");
    }

    @Test
    void aSubpathIsAFileOfThePackageAndCannotLeaveIt() {
        List<String> logs = requireEach("['lib/sub', 'lib/dir', 'lib/../../app', 'missing']",
                "miniprogram_npm/lib/index.js", "module.exports = 'index';",
                "miniprogram_npm/lib/sub.js", "module.exports = 'sub';",
                "miniprogram_npm/lib/dir/index.js", "module.exports = 'dir';");
        assertThat(logs).contains("loaded lib/sub \"sub\"", "loaded lib/dir \"dir\"",
                "Error: require: cannot find module 'lib/../../app' from 'pages/index/index.js'",
                "Error: require: cannot find module 'missing' from 'pages/index/index.js'");
    }

    @Test
    void anUnreadablePackageJsonIsAClearError() {
        List<String> logs = requireEach("['broken']",
                "miniprogram_npm/broken/package.json", "{\"main\": 1}",
                "miniprogram_npm/broken/index.js", "module.exports = 'index';");
        assertThat(logs).anyMatch(l -> l.startsWith("Error: require: miniprogram_npm/broken/package.json") && l.contains("main"));
    }

    /** Main package at pages/, a subpackage at shop/ and an independent one at solo/; each page requires every other's file. */
    private static List<String> crossPackage(Harness harness, String fromPage) {
        String requests = "['/utils/main', '/shop/lib', '/solo/lib', 'npmlib']";
        String page = "Page({onLoad(){ for (const r of " + requests + ") {"
                + " try { console.log('loaded ' + r + ' ' + JSON.stringify(require(r))) } catch (e) { console.log(e.name + ': ' + e.message) } } }})";
        String[] files = {
            "app.json", "{\"pages\":[\"pages/index/index\"],\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"cart/cart\"]},"
                    + "{\"root\":\"solo\",\"name\":\"alone\",\"pages\":[\"p/p\"],\"independent\":true}]}",
            "pages/index/index.js", "Page({})", "shop/cart/cart.js", "Page({})", "solo/p/p.js", "Page({})",
            fromPage, page,
            "utils/main.js", "module.exports = 'main';", "shop/lib.js", "module.exports = 'shop';", "solo/lib.js", "module.exports = 'solo';",
            "miniprogram_npm/npmlib/index.js", "module.exports = 'npm';"};
        var pkg = TestApps.app(files);
        try (var run = harness.run(pkg)) {
            return run.events().logs();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theMainPackageMayNotRequireASubpackageInBothTiers(Isolation tier) {
        assertThat(crossPackage(Tiers.harness(tier), "pages/index/index.js")).contains("loaded /utils/main \"main\"", "loaded npmlib \"npm\"",
                "Error: require: 'pages/index/index.js' in the main package may not require 'shop/lib.js' in subpackage 'shop' (shop/)"
                        + " (the main package loads without its subpackages)",
                "Error: require: 'pages/index/index.js' in the main package may not require 'solo/lib.js' in subpackage 'alone' (solo/)"
                        + " (the main package loads without its subpackages)");
    }
}
