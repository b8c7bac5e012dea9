package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {
    private static SemVer strict(String text) {
        return SemVer.parseStrict(text).orElseThrow(() -> new AssertionError("not SemVer: " + text));
    }

    @Test
    void precedenceIsSemVerSection11() {
        // The chains of semver.org §11.2 and §11.4.
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            assertThat(strict(ordered.get(i)).compareTo(strict(ordered.get(i + 1)))).as(ordered.get(i) + " < " + ordered.get(i + 1)).isNegative();
            assertThat(strict(ordered.get(i + 1)).compareTo(strict(ordered.get(i)))).isPositive();
        }
    }

    @Test
    void buildMetadataIsIgnored() {
        assertThat(strict("1.0.0+build.1").compareTo(strict("1.0.0+other"))).isZero();
    }

    @Test
    void numbersHaveNoUpperBoundInSemVer() {
        assertThat(strict("100000000000000000000000.0.0").compareTo(strict("99999999999999999999999.0.0"))).isPositive();
        assertThat(SemVer.parseNpm("100000000000000000000000.0.0")).as("node-semver caps at MAX_SAFE_INTEGER").isEmpty();
        assertThat(SemVer.parseNpm("9007199254740991.0.0")).isPresent();
        assertThat(SemVer.parseNpm("9007199254740992.0.0")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.0.0", "1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", " 1.0.0", "1.0.0.0", "0"})
    void strictRejectsWhatSemVerRejects(String text) {
        assertThat(SemVer.parseStrict(text)).isEmpty();
    }

    @Test
    void npmReadsALeadingVAndSurroundingSpaceLikeNodeSemver() {
        assertThat(SemVer.parseNpm("v1.2.3")).contains(strict("1.2.3"));
        assertThat(SemVer.parseNpm(" 1.2.3 ")).contains(strict("1.2.3"));
        assertThat(SemVer.parseNpm("1.2")).isEmpty();
        assertThat(SemVer.parseNpm("x".repeat(300))).isEmpty();
    }
}
