package dev.capsule.runtime.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.core.testing.RepoPaths;
import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.RuntimeLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Each risk profile's policy, and docs/runtime.md's table of them. */
class RiskPoliciesTest {
    private static final String TABLE_START = "<!-- risk-profile-table: generated from RiskPolicies.markdownTable(); RiskPoliciesTest checks it -->\n";
    private static final String TABLE_END = "<!-- /risk-profile-table -->";

    @Test
    void everyProfileHasTheBaseGroupsAndOnlyFinancialAndInternalHavePayment() {
        for (RiskProfile profile : RiskProfile.values()) {
            var policy = RiskPolicies.of(profile);
            assertThat(policy.apiGroups()).as(profile.code()).containsAll(RiskPolicies.BASE);
            assertThat(policy.apiGroups().contains(ApiGroup.PAYMENT)).as(profile.code())
                    .isEqualTo(profile == RiskProfile.FINANCIAL || profile == RiskProfile.INTERNAL);
        }
        assertThat(RiskPolicies.of(RiskProfile.CONTENT).apiGroups()).doesNotContain(ApiGroup.PERSONAL_DATA, ApiGroup.IDENTITY);
        assertThat(RiskPolicies.of(RiskProfile.UTILITY).limits().requestsPerMinuteMax()).isLessThan(RuntimeLimits.REQUESTS_PER_MINUTE_MAX);
    }

    @Test
    void docsTableIsGeneratedFromThePolicies() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/runtime.md"), StandardCharsets.UTF_8);
        int start = docs.indexOf(TABLE_START);
        int end = docs.indexOf(TABLE_END);
        assertThat(start).as("docs/runtime.md has the table markers").isPositive();
        assertThat(docs.substring(start + TABLE_START.length(), end))
                .as("docs/runtime.md's risk profile table; replace it with:%n%s", RiskPolicies.markdownTable())
                .isEqualTo(RiskPolicies.markdownTable());
    }
}
