package dev.capsule.runtime.view.wxss;

import static org.assertj.core.api.Assertions.assertThat;

import com.helger.css.ECSSVersion;
import com.helger.css.decl.CSSMediaRule;
import com.helger.css.decl.CSSSelector;
import com.helger.css.decl.CSSSelectorSimpleMember;
import com.helger.css.decl.CSSStyleRule;
import com.helger.css.decl.CSSSupportsRule;
import com.helger.css.decl.CascadingStyleSheet;
import com.helger.css.decl.ECSSSelectorCombinator;
import com.helger.css.decl.ICSSSelectorMember;
import com.helger.css.decl.ICSSTopLevelRule;
import com.helger.css.reader.CSSReader;
import com.helger.css.reader.CSSReaderSettings;
import com.helger.css.reader.errorhandler.ThrowingCSSParseErrorHandler;
import java.util.List;

/**
 * The independent check of the scoping guarantee: compiled CSS is parsed again and every compound
 * of every top-level selector must carry a Capsule class (the sheet's scope or host class).
 */
final class ScopeOracle {
    private ScopeOracle() {
    }

    static void assertScoped(String css) {
        assertThat(css).doesNotContain("<").doesNotContain(">\"").doesNotContainIgnoringCase("expression(");
        CascadingStyleSheet sheet = CSSReader.readFromStringReader(css, new CSSReaderSettings()
                .setCSSVersion(ECSSVersion.CSS30)
                .setBrowserCompliantMode(false)
                .setCustomErrorHandler(new ThrowingCSSParseErrorHandler())
                .setCustomExceptionHandler(e -> {
                    throw new AssertionError("compiled CSS does not parse: " + e.getMessage() + "\n" + css);
                }));
        assertThat(sheet).as("compiled CSS parses: %s", css).isNotNull();
        assertThat(sheet.getAllImportRules()).isEmpty();
        rules(sheet.getAllRules(), css);
    }

    private static void rules(List<ICSSTopLevelRule> rules, String css) {
        for (ICSSTopLevelRule rule : rules) {
            switch (rule) {
                case CSSStyleRule style -> style.getAllSelectors().forEach(s -> selector(s, css));
                case CSSMediaRule media -> rules(media.getAllRules(), css);
                case CSSSupportsRule supports -> rules(supports.getAllRules(), css);
                default -> {
                }
            }
        }
    }

    private static void selector(CSSSelector selector, String css) {
        boolean scoped = false;
        for (ICSSSelectorMember member : selector.getAllMembers()) {
            if (member instanceof ECSSSelectorCombinator) {
                assertThat(scoped).as("every compound of %s carries a Capsule class in %s", selector, css).isTrue();
                scoped = false;
            } else if (member instanceof CSSSelectorSimpleMember simple && simple.isClass()
                    && StyleSet.isReservedClass(simple.getValue().substring(1))
                    && !simple.getValue().substring(1).equals(StyleSet.PAGE_ROOT_CLASS)) {
                scoped = true;
            }
        }
        assertThat(scoped).as("last compound of %s carries a Capsule class in %s", selector, css).isTrue();
    }
}
