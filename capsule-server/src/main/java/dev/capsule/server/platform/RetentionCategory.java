package dev.capsule.server.platform;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The closed set of data categories the platform's retention policies are stated for (docs/retention.md, "Policies by
 * data category"). Each {@link Purge} names the category its rows belong to; the policy of a category with a setting
 * ({@code capsule.retention.<code>}, an ISO-8601 period) is read once at start ({@link RetentionPolicies}).
 *
 * <p>Security guarantees: a category's period is never below its legal minimum (a setting below it stops the
 * server's start); categories without a setting cannot be changed by configuration.
 */
public enum RetentionCategory {
    /**
     * A user's storage area in a mini-program they have not opened for the period: its records deleted and its
     * data-subject key destroyed (the host's purge {@code host.storage-unused}).
     */
    MINI_PROGRAM_STORAGE("mini-program-storage", "P1Y", null, true),
    /** Shell sign-ins (session grants and shell sessions), kept for the period after they expire. */
    SESSIONS("sessions", "P1D", null, true),
    /**
     * Personal details in audit entries (operators' client addresses, sealed under a data-subject key per person and
     * month): each month's key is destroyed once the month is older than the period (the audit module's purge
     * {@code audit.detail-keys}), so its details no longer open while the entries stay. Default a year, the audit log
     * history PCI DSS v4.0 (10.5.1) asks for; no legal minimum. Details sealed before V117 are under the person's own key,
     * kept until it is destroyed (docs/retention.md).
     */
    AUDIT_DETAILS("audit-details", "P1Y", null, true),
    /**
     * Payment records (intents, transitions, refunds, wallet credits, ledger transfers): kept at least the period,
     * which is at least the legal minimum; the platform never deletes them (docs/retention.md).
     */
    PAYMENT_RECORDS("payment-records", "P5Y", "P5Y", true),
    /**
     * Rows a feature needs for a fixed time (nonces, challenges, rate buckets, webhook history, exports awaiting
     * download): each purge's own period, fixed in code and listed in docs/retention.md.
     */
    OPERATIONAL("operational", null, null, false);

    /** The longest period a setting may give (ten years, as {@link Purge#KEPT_FOR_MAX}). */
    public static final Duration PERIOD_MAX = Purge.KEPT_FOR_MAX;

    private final String code;
    private final String defaultPeriod;
    private final String minimum;
    private final boolean configurable;

    RetentionCategory(String code, String defaultPeriod, String minimum, boolean configurable) {
        this.code = code;
        this.defaultPeriod = defaultPeriod;
        this.minimum = minimum;
        this.configurable = configurable;
    }

    /** The category's name in settings ({@code capsule.retention.<code>}), audit entries and records of processing. */
    public String code() {
        return code;
    }

    /** The setting that changes the period, or empty for a category without one. */
    public Optional<String> setting() {
        return configurable ? Optional.of("capsule.retention." + code) : Optional.empty();
    }

    /** The default period (ISO 8601), or empty when the category has no period of its own. */
    public Optional<String> defaultPeriod() {
        return Optional.ofNullable(defaultPeriod);
    }

    /** The legal minimum (ISO 8601), or empty where none applies. */
    public Optional<String> minimum() {
        return Optional.ofNullable(minimum);
    }

    /**
     * The length of an ISO-8601 period as a duration that is never shorter than the calendar's: {@code PnYnMnWnD}
     * counts a year as 365 days plus one per started four years (P5Y = 1,827 days, the most five calendar years last)
     * and a month as 31 days; {@code PTnH…} and {@code PnDTnH…} are read as {@link Duration#parse}.
     *
     * @throws IllegalArgumentException for anything else, a negative period, or one longer than {@link #PERIOD_MAX}
     */
    public static Duration period(String iso) {
        String text = iso == null ? "" : iso.strip();
        Duration length;
        try {
            if (text.contains("T")) {
                length = Duration.parse(text);
            } else {
                Period period = Period.parse(text);
                if (period.isNegative()) {
                    throw new IllegalArgumentException("a retention period is not negative: " + text);
                }
                long years = period.getYears();
                length = Duration.ofDays(years * 365 + (years + 3) / 4 + period.getMonths() * 31L + period.getDays());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("a retention period is an ISO-8601 period such as P1Y, P90D or PT12H, not '" + text + "'");
        }
        if (length.isNegative() || length.compareTo(PERIOD_MAX) > 0) {
            throw new IllegalArgumentException("a retention period is 0 to " + PERIOD_MAX.toDays() + " days (P10Y), not " + text);
        }
        return length;
    }
}
