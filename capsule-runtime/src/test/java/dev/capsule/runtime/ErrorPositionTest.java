package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An uncaught error names the file and line of the mini-program's own code where it was thrown (issue #13:
 * the compatibility report prints it per page), read from the engine's stack in both tiers: not from the
 * guest's message, and never a line of Capsule's framework.
 */
class ErrorPositionTest {
    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anUncaughtErrorNamesThePageFileAndTheLineItWasThrownOn(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({\n  onLoad() {\n    const x = 1;\n    missingFunction(x);\n  }\n})\n");
        try (var run = Tiers.harness(tier).run(pkg, "position-" + tier)) {
            assertThat(run.events().logs())
                    .contains("Uncaught ReferenceError: missingFunction is not defined (in onLoad, pages/index/index.js:4)");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anErrorInARequiredModuleNamesTheModuleNotTheCaller(Isolation tier) {
        CapsulePackage pkg = TestApps.app("utils/boom.js", "module.exports = function () {\n  throw new Error('from util')\n}",
                "pages/index/index.js", "const boom = require('../../utils/boom.js')\nPage({ onShow() { boom() } })");
        try (var run = Tiers.harness(tier).run(pkg, "position-module-" + tier)) {
            assertThat(run.events().logs()).contains("Uncaught Error: from util (in onShow, utils/boom.js:2)");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aMessageThatClaimsAPositionDoesNotReplaceTheRealOne(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() {\n throw new Error('x (in onLoad, app.js:99)') } })");
        try (var run = Tiers.harness(tier).run(pkg, "position-forged-" + tier)) {
            assertThat(run.events().logs()).contains("Uncaught Error: x (in onLoad, app.js:99) (in onLoad, pages/index/index.js:2)");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aHugeMessageIsCutBeforeThePositionSoThePositionStays(Isolation tier) {
        CapsulePackage pkg = TestApps.page("Page({ onLoad() {\n\n throw new Error('y'.repeat(100000)) } })");
        try (var run = Tiers.harness(tier).run(pkg, "position-huge-" + tier)) {
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("Uncaught Error: yyy")).singleElement()
                    .satisfies(l -> assertThat(l).endsWith("… (in onLoad, pages/index/index.js:3)").hasSizeLessThanOrEqualTo(8 * 1024));
        }
    }
}
