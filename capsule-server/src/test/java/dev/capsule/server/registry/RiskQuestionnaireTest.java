package dev.capsule.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.registry.RiskQuestionnaire.DataSensitivity;
import dev.capsule.server.registry.RiskQuestionnaire.FinancialFeatures;
import dev.capsule.server.registry.RiskQuestionnaire.UserBase;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The derivation rule of docs/registry.md, "Risk assessment", for every one of the 36 combinations of answers. */
class RiskQuestionnaireTest {
    @Test
    void everyCombinationDerivesTheProfileOfTheDocumentedRule() {
        Map<RiskProfile, Integer> counts = new EnumMap<>(RiskProfile.class);
        for (DataSensitivity data : DataSensitivity.values()) {
            for (UserBase users : UserBase.values()) {
                for (FinancialFeatures money : FinancialFeatures.values()) {
                    RiskProfile expected;
                    if (money != FinancialFeatures.NONE || data == DataSensitivity.SPECIAL) {
                        expected = RiskProfile.FINANCIAL;
                    } else if (users == UserBase.OPERATOR_STAFF) {
                        expected = RiskProfile.INTERNAL;
                    } else if (data == DataSensitivity.IDENTIFYING) {
                        expected = RiskProfile.SOCIAL;
                    } else if (data == DataSensitivity.BASIC) {
                        expected = RiskProfile.UTILITY;
                    } else {
                        expected = RiskProfile.CONTENT;
                    }
                    RiskQuestionnaire answers = new RiskQuestionnaire(data, users, money);
                    assertThat(answers.derivedProfile()).as(answers.codes()).isEqualTo(expected);
                    assertThat(answers.permits(expected)).as("the derived profile itself is allowed").isTrue();
                    counts.merge(expected, 1, Integer::sum);
                }
            }
        }
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(36);
        assertThat(counts).containsEntry(RiskProfile.FINANCIAL, 27).containsEntry(RiskProfile.INTERNAL, 3)
                .containsEntry(RiskProfile.SOCIAL, 2).containsEntry(RiskProfile.UTILITY, 2).containsEntry(RiskProfile.CONTENT, 2);
    }

    @Test
    void aProfileMayBeRaisedNeverLoweredAndInternalIsForStaffOnly() {
        RiskQuestionnaire utility = new RiskQuestionnaire(DataSensitivity.BASIC, UserBase.PUBLIC, FinancialFeatures.NONE);
        assertThat(utility.permits(RiskProfile.CONTENT)).isFalse();
        assertThat(utility.permits(RiskProfile.SOCIAL)).isTrue();
        assertThat(utility.permits(RiskProfile.FINANCIAL)).isTrue();
        assertThat(utility.permits(RiskProfile.INTERNAL)).as("internal is the operator's own").isFalse();
        RiskQuestionnaire staff = new RiskQuestionnaire(DataSensitivity.NONE, UserBase.OPERATOR_STAFF, FinancialFeatures.NONE);
        assertThat(staff.permits(RiskProfile.SOCIAL)).isFalse();
        assertThat(staff.permits(RiskProfile.FINANCIAL)).isTrue();
        RiskQuestionnaire payments = new RiskQuestionnaire(DataSensitivity.NONE, UserBase.OPERATOR_STAFF, FinancialFeatures.PAYMENTS);
        assertThat(payments.permits(RiskProfile.INTERNAL)).as("payments for staff are reviewed as financial").isFalse();
    }

    @Test
    void anAssessmentHoldsItsRuleInItsConstructor() {
        PackageVersionId id = PackageVersionId.random();
        RiskQuestionnaire utility = new RiskQuestionnaire(DataSensitivity.BASIC, UserBase.PUBLIC, FinancialFeatures.NONE);
        Instant now = Instant.now();
        assertThat(new RiskAssessment(id, utility, RiskProfile.UTILITY, RiskProfile.SOCIAL, "shares lists", "op", now).raised()).isTrue();
        assertThatThrownBy(() -> new RiskAssessment(id, utility, RiskProfile.UTILITY, RiskProfile.CONTENT, "lower", "op", now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskAssessment(id, utility, RiskProfile.UTILITY, RiskProfile.SOCIAL, null, "op", now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RiskAssessment(id, utility, RiskProfile.CONTENT, RiskProfile.CONTENT, null, "op", now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RiskQuestionnaire.data("special")).contains(DataSensitivity.SPECIAL);
        assertThat(RiskQuestionnaire.users("everyone")).isEmpty();
    }
}
