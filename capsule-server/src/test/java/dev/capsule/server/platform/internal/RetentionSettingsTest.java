package dev.capsule.server.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.server.platform.RetentionPolicies;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Each retention policy's setting: its default, a changed value, and the refusals (below the legal minimum, malformed,
 * too long), both on the record and as Spring binds {@code capsule.retention.*} at start.
 */
class RetentionSettingsTest {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RetentionSettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void unsetSettingsAreTheDocumentedDefaults() {
        RetentionPolicies policies = RetentionSettings.defaults();

        assertThat(policies.of(RetentionCategory.MINI_PROGRAM_STORAGE)).isEqualTo(new RetentionPolicies.Policy(
                RetentionCategory.MINI_PROGRAM_STORAGE, Optional.of("P1Y"), Optional.of(Duration.ofDays(366)), false));
        assertThat(policies.of(RetentionCategory.SESSIONS).keptFor()).contains(Duration.ofDays(1));
        assertThat(policies.of(RetentionCategory.PAYMENT_RECORDS).period()).contains("P5Y");
        assertThat(policies.of(RetentionCategory.PAYMENT_RECORDS).keptFor()).contains(Duration.ofDays(1827));
        assertThat(policies.of(RetentionCategory.AUDIT_DETAILS)).isEqualTo(new RetentionPolicies.Policy(
                RetentionCategory.AUDIT_DETAILS, Optional.of("P1Y"), Optional.of(Duration.ofDays(366)), false));
        assertThat(policies.of(RetentionCategory.OPERATIONAL).keptFor()).as("each purge's own").isEmpty();
        assertThat(policies.all()).extracting(RetentionPolicies.Policy::category).containsExactly(RetentionCategory.values());
    }

    @Test
    void aSettingChangesItsCategoryAlone() {
        runner.withPropertyValues("capsule.retention.mini-program-storage=P90D", "capsule.retention.sessions=PT12H",
                "capsule.retention.payment-records=P7Y", "capsule.retention.audit-details=P6M").run(context -> {
                    RetentionPolicies policies = context.getBean(RetentionPolicies.class);
                    assertThat(policies.of(RetentionCategory.MINI_PROGRAM_STORAGE)).isEqualTo(new RetentionPolicies.Policy(
                            RetentionCategory.MINI_PROGRAM_STORAGE, Optional.of("P90D"), Optional.of(Duration.ofDays(90)), true));
                    assertThat(policies.of(RetentionCategory.SESSIONS).keptFor()).contains(Duration.ofHours(12));
                    assertThat(policies.of(RetentionCategory.PAYMENT_RECORDS).changed()).isTrue();
                    assertThat(policies.of(RetentionCategory.AUDIT_DETAILS)).isEqualTo(new RetentionPolicies.Policy(
                            RetentionCategory.AUDIT_DETAILS, Optional.of("P6M"), Optional.of(Duration.ofDays(6 * 31)), true));
                    assertThat(policies.of(RetentionCategory.PAYMENT_RECORDS).keptFor()).contains(Duration.ofDays(7 * 365 + 2));
                });
    }

    @Test
    void paymentRecordsBelowTheLegalMinimumRefuseTheStartInOneLine() {
        runner.withPropertyValues("capsule.retention.payment-records=P4Y").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("capsule.retention.payment-records is P4Y, below the legal "
                    + "minimum of P5Y (docs/retention.md); set P5Y or longer");
        });
        assertThatThrownBy(() -> new RetentionSettings(null, null, null, "P1825D")).as("five 365-day years are shorter than five years")
                .hasMessageContaining("below the legal minimum of P5Y");
        assertThat(new RetentionSettings(null, null, null, "P1827D").paymentRecords()).isEqualTo("P1827D");
        assertThat(new RetentionSettings(null, null, null, "P60M").paymentRecords()).isEqualTo("P60M");
    }

    @Test
    void malformedOrOverlongPeriodsAreRefused() {
        assertThatThrownBy(() -> new RetentionSettings("one year", null, null, null))
                .hasMessage("capsule.retention.mini-program-storage: a retention period is an ISO-8601 period such as P1Y, P90D or PT12H, "
                        + "not 'one year'");
        assertThatThrownBy(() -> new RetentionSettings(null, "-P1D", null, null)).hasMessageStartingWith("capsule.retention.sessions: ");
        assertThatThrownBy(() -> new RetentionSettings("P11Y", null, null, null)).hasMessageContaining("0 to 3653 days");
        assertThat(new RetentionSettings("P10Y", null, null, null).miniProgramStorage()).isEqualTo("P10Y");
        runner.withPropertyValues("capsule.retention.audit-details=thirty days").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("capsule.retention.audit-details: a retention period is an "
                    + "ISO-8601 period such as P1Y, P90D or PT12H, not 'thirty days'");
        });
        assertThatThrownBy(() -> new RetentionSettings(null, null, "-P1M", null)).hasMessageStartingWith("capsule.retention.audit-details: ");
        assertThatThrownBy(() -> new RetentionSettings(null, null, "P11Y", null)).hasMessageContaining("0 to 3653 days");
        assertThat(new RetentionSettings(null, null, "P30D", null).auditDetails()).as("no legal minimum").isEqualTo("P30D");
    }

    @Test
    void aPeriodIsNeverShorterThanTheCalendarOne() {
        assertThat(RetentionCategory.period("P1Y")).isEqualTo(Duration.ofDays(366));
        assertThat(RetentionCategory.period("P4Y")).isEqualTo(Duration.ofDays(1461));
        assertThat(RetentionCategory.period("P1M")).isEqualTo(Duration.ofDays(31));
        assertThat(RetentionCategory.period("P2W")).isEqualTo(Duration.ofDays(14));
        assertThat(RetentionCategory.period("P1DT12H")).isEqualTo(Duration.ofHours(36));
        assertThat(RetentionCategory.period("PT0S")).isZero();
    }
}
