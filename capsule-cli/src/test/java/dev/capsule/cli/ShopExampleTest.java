package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk through examples/shop, a mini-program written as WeChat's tools accept it (ES
 * modules, a subpackage, a built npm package): the commands a newcomer types give what the README says.
 */
class ShopExampleTest {
    private static final Path SHOP = Path.of("../examples/shop");

    @TempDir
    Path tmp;

    @Test
    void packCompilesTheEsModulesAndLeavesTheReadmeOutSayingWhy() throws Exception {
        Path out = tmp.resolve("shop.capsule");
        CliRun r = CliRun.oneLineErrors("pack", SHOP.toString(), "--out", out.toString(), "--list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).contains(
                "packed    app.js  (ES module compiled to CommonJS)",
                "packed    cart/pages/cart/cart.js  (ES module compiled to CommonJS)",
                "packed    miniprogram_npm/tiny-money/lib/index.js",
                "left out  README.md  (file type not uploaded)");
        CapsulePackage pkg = PackageReader.read(Files.readAllBytes(out));
        assertThat(pkg.hasFile("README.md")).isFalse();
        assertThat(new String(pkg.file("utils/catalogue.js"), StandardCharsets.UTF_8)).doesNotContain("export const");
    }

    @Test
    void everyPageOfTheShopLoadsAsTheEntryPageIncludingTheSubpackagesPage() {
        CliRun r = CliRun.oneLineErrors("run", SHOP.toString(), "--dev", "--all-pages", "--isolation", "in-process");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("pages/index/index", "cart/pages/cart/cart");
        assertThat(r.out().lines().filter(l -> l.contains("FAIL")).toList()).isEmpty();
    }

    @Test
    void addingAProductOpensTheCartInTheSubpackageWithItsTotal() throws Exception {
        Path events = tmp.resolve("events.json");
        Files.writeString(events, "[{\"handler\":\"onAdd\",\"event\":{\"currentTarget\":{\"dataset\":{\"id\":\"tea\"}}}}]");
        CliRun r = CliRun.oneLineErrors("run", SHOP.toString(), "--dev", "--json", "--isolation", "in-process", "--events", events.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("shop open with 2 products").contains("\"route\":\"cart/pages/cart/cart\"")
                .contains("\"data\":{\"lines\":[\"Green tea\"],\"total\":\"¥4.50\"}");
    }

    /** The README's "See a page": render the list, tap "Add" by selector, the cart page is written with its total. */
    @Test
    void theReadmesRenderWalkWritesTheListThenTheCartAfterATap() throws Exception {
        Path list = tmp.resolve("shop.html");
        CliRun first = CliRun.oneLineErrors("render", "--dev", SHOP.toString(), "--out", list.toString(), "--isolation", "in-process");
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(RenderedPage.of(Files.readString(list)).texts(".add")).containsExactly("Add", "Add");
        Path tap = tmp.resolve("tap.json");
        Files.writeString(tap, "[{\"tap\": \"#add-tea\"}]");
        Path cart = tmp.resolve("cart.html");
        CliRun tapped = CliRun.oneLineErrors("render", "--dev", SHOP.toString(), "--events", tap.toString(), "--out", cart.toString(),
                "--isolation", "in-process");
        assertThat(tapped.code()).as(tapped.out() + tapped.err()).isZero();
        RenderedPage page = RenderedPage.of(Files.readString(cart));
        assertThat(page.text(".heading")).isEqualTo("Your cart");
        assertThat(page.text("#total .amount")).isEqualTo("¥4.50");
    }
}
