package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.server.platform.RetentionPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The retention policies' settings ({@code capsule.retention.*}, docs/retention.md "Policies by data category"), each an
 * ISO-8601 period ({@link RetentionCategory#period}); unset is the category's default. The record is the
 * {@link RetentionPolicies} bean.
 *
 * <p>Security guarantees: a malformed period, one below the category's legal minimum, or one above ten years stops the
 * server's start with one line naming the setting.
 *
 * @param miniProgramStorage {@code capsule.retention.mini-program-storage}: a user's storage in a mini-program unused
 *                           this long is erased (default P1Y)
 * @param sessions           {@code capsule.retention.sessions}: shell sign-ins kept this long after they expire (P1D)
 * @param auditDetails       {@code capsule.retention.audit-details}: personal details in audit entries become unreadable
 *                           once their month is older than this (P1Y)
 * @param paymentRecords     {@code capsule.retention.payment-records}: payment records kept at least this long (P5Y, the
 *                           minimum)
 */
@ConfigurationProperties("capsule.retention")
public record RetentionSettings(String miniProgramStorage, String sessions, String auditDetails, String paymentRecords)
        implements RetentionPolicies {

    public RetentionSettings {
        miniProgramStorage = checked(RetentionCategory.MINI_PROGRAM_STORAGE, miniProgramStorage);
        sessions = checked(RetentionCategory.SESSIONS, sessions);
        auditDetails = checked(RetentionCategory.AUDIT_DETAILS, auditDetails);
        paymentRecords = checked(RetentionCategory.PAYMENT_RECORDS, paymentRecords);
    }

    /** Every setting at its default. */
    static RetentionSettings defaults() {
        return new RetentionSettings(null, null, null, null);
    }

    @Override
    public List<Policy> all() {
        List<Policy> policies = new ArrayList<>();
        for (RetentionCategory category : RetentionCategory.values()) {
            Optional<String> period = switch (category) {
                case MINI_PROGRAM_STORAGE -> Optional.of(miniProgramStorage);
                case SESSIONS -> Optional.of(sessions);
                case AUDIT_DETAILS -> Optional.of(auditDetails);
                case PAYMENT_RECORDS -> Optional.of(paymentRecords);
                case OPERATIONAL -> Optional.empty();
            };
            policies.add(new Policy(category, period, period.map(RetentionCategory::period),
                    period.isPresent() && !period.equals(category.defaultPeriod())));
        }
        return List.copyOf(policies);
    }

    /** The setting's period (its default when blank), refused in one line when malformed or below the legal minimum. */
    private static String checked(RetentionCategory category, String value) {
        String setting = category.setting().orElseThrow();
        String period = value == null || value.isBlank() ? category.defaultPeriod().orElseThrow() : value.strip();
        Duration length;
        try {
            length = RetentionCategory.period(period);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage());
        }
        Optional<String> minimum = category.minimum();
        if (minimum.isPresent() && length.compareTo(RetentionCategory.period(minimum.get())) < 0) {
            throw new IllegalArgumentException(setting + " is " + period + ", below the legal minimum of " + minimum.get()
                    + " (docs/retention.md); set " + minimum.get() + " or longer");
        }
        return period;
    }
}
