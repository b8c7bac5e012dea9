package dev.capsule.server.platform;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The retention policies in effect: one per {@link RetentionCategory}, from its setting
 * ({@code capsule.retention.<category>}) or its default, read once at start. Modules take their purges' periods from
 * here; the records of processing and docs/retention.md show them.
 *
 * <p>Security guarantees: a period below its category's legal minimum, a malformed one, or a value for a category
 * that cannot be changed stops the server's start with one line naming the setting; nothing changes a policy while
 * the server runs.
 */
public interface RetentionPolicies {
    /** Every category's policy, in the enum's order. */
    List<Policy> all();

    /** The category's policy. */
    default Policy of(RetentionCategory category) {
        return all().stream().filter(policy -> policy.category() == category).findFirst().orElseThrow();
    }

    /**
     * The policy of one category.
     *
     * @param category the category
     * @param period   the period in effect as configured or defaulted (ISO 8601), or empty for a category without one
     * @param keptFor  the same as a duration ({@link RetentionCategory#period}), or empty
     * @param changed  whether the setting changed it from the default
     */
    record Policy(RetentionCategory category, Optional<String> period, Optional<Duration> keptFor, boolean changed) {
        public Policy {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(keptFor, "keptFor");
        }

        /** The period as a duration, for a category that has one. */
        public Duration requiredKeptFor() {
            return keptFor.orElseThrow(() -> new IllegalStateException("retention category " + category.code() + " has no period"));
        }
    }
}
