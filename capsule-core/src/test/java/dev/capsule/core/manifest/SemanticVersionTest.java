package dev.capsule.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SemVer 2.0.0 precedence, with the examples of semver.org §11. */
class SemanticVersionTest {
    @Test
    void ordersAsSemverOrgSpecifies() {
        List<String> ascending = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "1.11.0", "2.0.0", "2.1.0", "2.1.1");
        for (int i = 0; i + 1 < ascending.size(); i++) {
            SemanticVersion lower = SemanticVersion.parse(ascending.get(i));
            SemanticVersion higher = SemanticVersion.parse(ascending.get(i + 1));
            assertThat(lower.isLowerThan(higher)).as(lower + " < " + higher).isTrue();
            assertThat(higher.isLowerThan(lower)).as(higher + " not < " + lower).isFalse();
        }
        assertThat(SemanticVersion.parse("1.0.0+build.1").compareTo(SemanticVersion.parse("1.0.0+build.2"))).isZero();
        assertThat(SemanticVersion.parse("99999999999999999999.0.0").compareTo(SemanticVersion.parse("9.0.0"))).isPositive();
    }

    @Test
    void refusesWhatIsNotASemanticVersion() {
        for (String bad : List.of("1.0", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0 ", "")) {
            assertThatThrownBy(() -> SemanticVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThat(SemanticVersion.isValid(bad)).isFalse();
        }
    }
}
