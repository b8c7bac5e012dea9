package dev.capsule.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.AppConfig.Subpackage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** app.json's subpackages, preloadRule and plugins, checked as WeChat's developer tools check them. */
class SubpackagesTest {
    private static final Set<String> FILES = Set.of("app.js", "pages/index/index.js", "pages/about/about.js",
            "shop/list/list.js", "shop/item/item.js", "moments/index.js", "pkg/deep/index.js", "pkg/deep/inner/index.js");
    private static final String MAIN = "\"pages\":[\"pages/index/index\",\"pages/about/about\"]";

    private static AppConfig parse(String json) throws ManifestException {
        return AppConfig.parse(json.getBytes(StandardCharsets.UTF_8), FILES::contains);
    }

    private static AppConfig withSubpackages(String subpackages) throws ManifestException {
        return parse("{" + MAIN + ",\"subpackages\":[" + subpackages + "]}");
    }

    private static void rejected(String json, String... fragments) {
        var thrown = assertThatThrownBy(() -> parse(json)).isInstanceOf(ManifestException.class);
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
        thrown.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static void rejectedSubpackages(String subpackages, String... fragments) {
        rejected("{" + MAIN + ",\"subpackages\":[" + subpackages + "]}", fragments);
    }

    @Test
    void subpackagePagesAreRoutesUnderTheirRootAfterTheMainPages() throws Exception {
        AppConfig app = withSubpackages("""
                {"root":"shop","name":"store","pages":["list/list","item/item"]},{"root":"moments/","pages":["index"],"independent":true}""");
        assertThat(app.mainPages()).containsExactly("pages/index/index", "pages/about/about");
        assertThat(app.subpackages()).containsExactly(
                new Subpackage("store", "shop", java.util.List.of("shop/list/list", "shop/item/item"), false),
                new Subpackage("moments", "moments", java.util.List.of("moments/index"), true));
        assertThat(app.pages()).containsExactly("pages/index/index", "pages/about/about", "shop/list/list", "shop/item/item", "moments/index");
        assertThat(app.entryPage()).isEqualTo("pages/index/index");
    }

    @Test
    void theOldSpellingSubPackagesIsAcceptedButNotBothAtOnce() throws Exception {
        AppConfig app = parse("{" + MAIN + ",\"subPackages\":[{\"root\":\"shop\",\"pages\":[\"list/list\"]}]}");
        assertThat(app.subpackages()).extracting(Subpackage::root).containsExactly("shop");
        rejected("{" + MAIN + ",\"subPackages\":[],\"subpackages\":[]}", "app.json: subPackages: ", "has both 'subpackages' and 'subPackages'");
    }

    @Test
    void packageOfTellsWhichPackageAFileBelongsTo() throws Exception {
        AppConfig app = withSubpackages("{\"root\":\"shop\",\"pages\":[\"list/list\"]}");
        assertThat(app.packageOf("shop/list/list.js")).map(Subpackage::root).contains("shop");
        assertThat(app.packageOf("shop/list/list")).map(Subpackage::root).contains("shop");
        assertThat(app.packageOf("pages/index/index.js")).isEmpty();
        // A name that merely starts like the root is not in it: whole segments only.
        assertThat(app.packageOf("shopping/cart.js")).isEqualTo(Optional.empty());
        assertThat(app.packageOf("shop")).isEmpty();
    }

    @Test
    void aSubpackagePageMayBeTheEntryPage() throws Exception {
        AppConfig app = parse("{" + MAIN + ",\"entryPagePath\":\"shop/list/list\",\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"list/list\"]}]}");
        assertThat(app.entryPage()).isEqualTo("shop/list/list");
        assertThat(app.pages()).containsExactly("shop/list/list", "pages/index/index", "pages/about/about");
        assertThat(app.mainPages()).containsExactly("pages/index/index", "pages/about/about");
        rejected("{" + MAIN + ",\"entryPagePath\":\"shop/gone\"}", "entryPagePath: 'shop/gone' is not a page of the app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/shop", "../shop", "shop//x", "shop.x", ""})
    void aRootIsAFolderPath(String root) {
        rejectedSubpackages("{\"root\":\"" + root + "\",\"pages\":[\"list/list\"]}", "subpackages[0].root: ", "must be a folder path");
    }

    @Test
    void aRootIsRequired() {
        rejectedSubpackages("{\"pages\":[\"list/list\"]}", "subpackages[0]: missing required field 'root'");
    }

    @Test
    void rootsAreUnique() {
        rejectedSubpackages("{\"root\":\"shop\",\"pages\":[\"list/list\"]},{\"root\":\"shop/\",\"name\":\"x\",\"pages\":[\"item/item\"]}",
                "subpackages[1].root: 'shop/' is also the root of subpackage 'shop' (shop/)");
    }

    @Test
    void rootsDoNotNestEitherWay() {
        rejectedSubpackages("{\"root\":\"pkg\",\"pages\":[\"deep/index\"]},{\"root\":\"pkg/deep\",\"pages\":[\"inner/index\"]}",
                "subpackages[1].root: 'pkg/deep' is nested with the root of subpackage 'pkg' (pkg/)");
        rejectedSubpackages("{\"root\":\"pkg/deep\",\"pages\":[\"inner/index\"]},{\"root\":\"pkg\",\"pages\":[\"deep/index\"]}",
                "subpackages[1].root: 'pkg' is nested with the root of subpackage 'pkg/deep' (pkg/deep/)");
    }

    @Test
    void aRootMayNotHoldAMainPage() {
        rejectedSubpackages("{\"root\":\"pages\",\"pages\":[\"about/about\"]}",
                "subpackages[0].root: 'pages' holds the main-package page 'pages/index/index'");
    }

    @Test
    void pagesAreRelativeToTheRootAndEachHasItsScript() {
        rejectedSubpackages("{\"root\":\"shop\",\"pages\":[\"shop/list/list\"]}", "subpackages[0].pages[0]: page 'shop/shop/list/list' has no shop/shop/list/list.js");
        rejectedSubpackages("{\"root\":\"shop\",\"pages\":[\"/list/list\"]}", "subpackages[0].pages[0]: '/list/list' must be a page path", "relative to the subpackage root");
        rejectedSubpackages("{\"root\":\"shop\"}", "subpackages[0]: missing required field 'pages'");
        rejectedSubpackages("{\"root\":\"shop\",\"pages\":[\"list/list\",\"list/list\"]}", "subpackages[0].pages[1]: 'list/list' is listed twice");
    }

    @Test
    void aSubpackageMayHoldNoPageOnlyComponentsAndScripts() throws Exception {
        AppConfig app = withSubpackages("{\"root\":\"common\",\"pages\":[]}");
        assertThat(app.subpackages()).containsExactly(new Subpackage("common", "common", java.util.List.of(), false));
        assertThat(app.packageOf("common/components/button.js")).map(Subpackage::name).contains("common");
        assertThat(app.pages()).containsExactly("pages/index/index", "pages/about/about");
    }

    @Test
    void namesAreUnique() throws Exception {
        rejectedSubpackages("{\"root\":\"shop\",\"name\":\"x\",\"pages\":[\"list/list\"]},{\"root\":\"moments\",\"name\":\"x\",\"pages\":[\"index\"]}",
                "subpackages[1].name: the name 'x' is already used by the subpackage at 'shop/'");
        // A root doubles as the name of a subpackage without one.
        rejectedSubpackages("{\"root\":\"shop\",\"name\":\"moments\",\"pages\":[\"list/list\"]},{\"root\":\"moments\",\"pages\":[\"index\"]}",
                "subpackages[1].root: the name 'moments' is already used");
        rejectedSubpackages("{\"root\":\"shop\",\"name\":\"\",\"pages\":[\"list/list\"]}", "subpackages[0].name: '' must be 1 to 100 characters");
        rejectedSubpackages("{\"root\":\"shop\",\"name\":\"a\\u202eb\",\"pages\":[\"list/list\"]}",
                "subpackages[0].name: 'a\\u202eb' must be 1 to 100 characters with no control or invisible character");
        assertThat(withSubpackages("{\"root\":\"shop\",\"name\":\"商城\",\"pages\":[\"list/list\"]}").subpackages().getFirst().label())
                .isEqualTo("subpackage '商城' (shop/)");
    }

    @Test
    void independentIsABoolean() {
        rejectedSubpackages("{\"root\":\"shop\",\"pages\":[\"list/list\"],\"independent\":\"yes\"}", "subpackages[0].independent: must be true or false");
    }

    @Test
    void tabBarPagesMustBeMainPackagePages() throws Exception {
        String subpackages = ",\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"list/list\"]}]";
        assertThat(parse("{" + MAIN + subpackages + ",\"tabBar\":{\"list\":[{\"pagePath\":\"pages/about/about\",\"text\":\"A\"}]}}").tabBarPages())
                .containsExactly("pages/about/about");
        rejected("{" + MAIN + subpackages + ",\"tabBar\":{\"list\":[{\"pagePath\":\"shop/list/list\",\"text\":\"S\"}]}}",
                "tabBar.list[0].pagePath: 'shop/list/list' is a subpackage page; tab bar pages must be in the main package");
    }

    @Test
    void preloadRulesAreValidatedAndOtherwiseInert() throws Exception {
        String subpackages = ",\"subpackages\":[{\"root\":\"shop\",\"name\":\"store\",\"pages\":[\"list/list\"]},{\"root\":\"moments\",\"pages\":[\"index\"]}]";
        AppConfig app = parse("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/index/index\":{\"network\":\"all\",\"packages\":[\"store\",\"moments/\"]},"
                + "\"shop/list/list\":{\"network\":\"wifi\",\"packages\":[\"__APP__\",\"shop\"]},\"moments/index\":{\"packages\":[\"moments\"]}}}");
        assertThat(app.pages()).hasSize(4);
        rejected("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/gone\":{\"packages\":[\"shop\"]}}}",
                "preloadRule: 'pages/gone' is not a page of the app; preloadRule keys are page routes");
        rejected("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/index/index\":{\"packages\":[\"nope\"]}}}",
                "preloadRule.pages/index/index.packages[0]: 'nope' names no subpackage");
        rejected("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/index/index\":{\"network\":\"4g\",\"packages\":[\"shop\"]}}}",
                "preloadRule.pages/index/index.network: '4g' must be \"all\" or \"wifi\"");
        rejected("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/index/index\":{\"packages\":[]}}}",
                "preloadRule.pages/index/index.packages: must name at least one subpackage");
        rejected("{" + MAIN + subpackages + ",\"preloadRule\":{\"pages/index/index\":{\"network\":\"all\"}}}",
                "preloadRule.pages/index/index.packages: must name at least one subpackage");
    }

    @Test
    void pluginsAreAcceptedWithAWarning() throws Exception {
        AppConfig app = parse("{" + MAIN + ",\"plugins\":{\"chart\":{\"provider\":\"wxabc\",\"version\":\"1.2.0\"}},"
                + "\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"list/list\"],\"plugins\":{\"pay\":{\"provider\":\"wxdef\",\"version\":\"2.0.0\"}}}]}");
        assertThat(app.plugins()).containsExactly(new AppConfig.Plugin("chart", "wxabc", "1.2.0"), new AppConfig.Plugin("pay", "wxdef", "2.0.0"));
        assertThat(app.warnings()).hasSize(2);
        assertThat(app.warnings().getFirst()).isEqualTo("app.json: plugins.chart: plugin 'chart' (wxabc) is accepted, but Capsule runs no plugins:"
                + " a page or component that uses plugin://chart/ fails there");
        assertThat(app.warnings().get(1)).startsWith("app.json: subpackages[0].plugins.pay: plugin 'pay'");
        assertThat(parse("{" + MAIN + "}").warnings()).isEmpty();
    }

    @Test
    void aPluginNeedsAProviderAndAVersionAndASafeAlias() {
        rejected("{" + MAIN + ",\"plugins\":{\"chart\":{\"version\":\"1.0.0\"}}}", "plugins.chart: missing required field 'provider'");
        rejected("{" + MAIN + ",\"plugins\":{\"chart\":{\"provider\":\"wxabc\"}}}", "plugins.chart: missing required field 'version'");
        rejected("{" + MAIN + ",\"plugins\":{\"a\\u2028b\":{\"provider\":\"wxabc\",\"version\":\"1\"}}}", "is not a plugin alias");
    }

    @Test
    void workersAreAcceptedWithAWarningThatNoWorkerRuns() throws Exception {
        String warning = "app.json: workers: folder 'workers' is accepted, but Capsule runs no workers (each mini-program is one sandboxed "
                + "event loop, no threads): wx.createWorker is absent";
        assertThat(parse("{" + MAIN + ",\"workers\":\"workers\"}").warnings()).containsExactly(warning);
        assertThat(parse("{" + MAIN + ",\"workers\":{\"path\":\"workers\",\"isSubpackage\":true}}").warnings()).containsExactly(warning);
        assertThat(parse("{" + MAIN + ",\"workers\":\"w\\u2028x\"}").warnings().getFirst()).contains("folder 'w\\u2028x'");
    }

    @Test
    void workersMustNameAFolder() {
        rejected("{" + MAIN + ",\"workers\":\"\"}", "workers: must name a folder of 1 to 256 characters");
        rejected("{" + MAIN + ",\"workers\":\"" + "w".repeat(257) + "\"}", "workers: must name a folder");
        rejected("{" + MAIN + ",\"workers\":7}", "workers", "must be an object");
        rejected("{" + MAIN + ",\"workers\":{\"isSubpackage\":true}}", "workers: missing required field 'path'");
        rejected("{" + MAIN + ",\"workers\":{\"path\":\"w\",\"isSubpackage\":\"yes\"}}", "workers.isSubpackage: must be true or false");
        rejected("{" + MAIN + ",\"workers\":{\"path\":\"w\",\"threads\":4}}", "unknown field 'threads'");
    }
}
