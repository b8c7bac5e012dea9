package dev.capsule.runtime.view.wxss;

import static dev.capsule.runtime.view.wxss.Sheets.S;
import static dev.capsule.runtime.view.wxss.Sheets.compile;
import static dev.capsule.runtime.view.wxss.Sheets.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No rule of a guest's stylesheet can match an element without a Capsule class: every compound of
 * every compiled selector carries one (checked by re-parsing the output, {@link ScopeOracle}).
 */
class ScopeEscapeTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "html { background: red }",
        "body { margin: 0 }",
        ":root { --x: 1 }",
        "* { color: red }",
        "html body div { color: red }",
        ":not(.mine) { display: none }",
        ":not(:not(*)) { display: none }",
        ":is(html) { color: red }",
        ":where(body) * { color: red }",
        ".a:has(.b) { color: red }",
        ":has(> *) { color: red }",
        "body > * + * ~ * { color: red }",
        "[class] { color: red }",
        "[id=\"app\"] { color: red }",
        "[class*=\"_capsule\"] { color: red }",
        "*::before { content: \"x\" }",
        "::selection { color: red }",
        ":host { color: red }",
        ":host(.x) * { color: red }",
        "page, page * { color: red }",
        "@media screen { html, body, * { color: red } }",
        "@media screen { @media (min-width: 1px) { body { color: red } } }",
        "@supports (display: grid) { :root, * { color: red } }",
        "@supports not (display: grid) { body { color: red } }",
        "a, b, c, d { color: red }",
    })
    void everyCompoundCarriesACapsuleClass(String wxss) throws Exception {
        String css = page(wxss);
        assertThat(css).isNotEmpty();
        ScopeOracle.assertScoped(css);
    }

    @Test
    void universalAndRootSelectorsNeedTheScopeClass() throws Exception {
        assertThat(page("* { color: red }")).isEqualTo("*." + S + "{color:red}");
        assertThat(page(":root { color: red }")).isEqualTo(":root." + S + "{color:red}");
        assertThat(page("html body { color: red }")).isEqualTo("._capsule-html." + S + " ._capsule-body." + S + "{color:red}");
    }

    @Test
    void selectorsInsideLogicalPseudoClassesAreScopedToo() throws Exception {
        assertThat(page(":not(.a) { top: 0 }")).isEqualTo(":not(.a." + S + ")." + S + "{top:0}");
        assertThat(page(".x:is(.a) { top: 0 }")).isEqualTo(".x:is(.a." + S + ")." + S + "{top:0}");
        assertThat(page(".x:has(> .a) { top: 0 }")).isEqualTo(".x:has(>.a." + S + ")." + S + "{top:0}");
    }

    @Test
    void aGuestCannotNameAnotherScopeToReachItsElements() throws Exception {
        String other = StyleSet.scopeClass("components/other/other");
        StyleSet set = compile("pages/p/p.wxss", "." + other + " { color: red } .ok { top: 0 }");
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).isEqualTo(".ok." + S + "{top:0}");
        assertThat(set.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("reserved for Capsule"));
    }

    @ParameterizedTest
    @ValueSource(strings = {":host(.a .b) { color: red }", ":host(.a > body) { color: red }", ":host(* ~ *) { color: red }"})
    void hostArgumentNeverReachesBeyondTheHostElement(String wxss) {
        String host = StyleSet.hostClass("components/c/c");
        try {
            String css = compile("components/c/c.wxss", wxss).sheet("components/c/c").orElseThrow().css();
            // ph-css reads :host()'s argument as one compound: all of it stays on the host element
            assertThat(css).isEqualTo("." + host + ".a.b{color:red}");
        } catch (WxssException refused) {
            assertThat(refused.getMessage()).startsWith("components/c/c.wxss:1:");
        }
    }

    @Test
    void attributeSelectorOnTheClassAttributeStillNeedsTheScope() throws Exception {
        assertThat(page("[class~=\"" + S + "\"] { top: 0 }"))
                .isEqualTo("[class~=\"" + S + "\"]." + S + "{top:0}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".a { color: red } } body { color: red }",
        ".a { color: red; } </style><style> body { color: red }",
        "body { color: red",
        ".a { x: \"unterminated }\n body { color: red }",
        "@media screen { body { color: red }",
        ".a { color: red; { body { color: red } } }",
        "/* unterminated comment body { color: red }",
    })
    void badInputIsRefusedOrStaysScoped(String wxss) {
        try {
            ScopeOracle.assertScoped(page(wxss));
        } catch (WxssException refused) {
            assertThat(refused.getMessage()).startsWith("pages/p/p.wxss:");
        }
    }

    @Test
    void styleElementTerminatorCannotBeSmuggledInAnyString() throws Exception {
        String css = page(".a[title='</style>'] { content: '</style><script>alert(1)</script>'; font-family: \"</style>\" }");
        assertThat(css).doesNotContain("<").doesNotContain(">");
        ScopeOracle.assertScoped(css);
    }

    @Test
    void reservedPrefixIsOnlyUsedByCapsule() {
        assertThat(StyleSet.isReservedClass(S)).isTrue();
        assertThat(StyleSet.isReservedClass(StyleSet.PAGE_ROOT_CLASS)).isTrue();
        assertThat(StyleSet.isReservedClass(StyleSet.hostClass("c"))).isTrue();
        assertThat(StyleSet.isReservedClass("capsule-page")).isFalse();
        assertThatThrownBy(() -> StyleSet.scopeClass(null)).isInstanceOf(NullPointerException.class);
    }
}
