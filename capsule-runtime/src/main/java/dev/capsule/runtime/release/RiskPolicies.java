package dev.capsule.runtime.release;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.SessionPolicy;
import java.util.EnumSet;
import java.util.Set;

/**
 * What each release risk profile (the preset a reviewer picks at approval, recorded in the release entry) allows a
 * session: its {@code wx} API groups and its limits, enforced by the runtime for every launch from a release. The
 * table is docs/runtime.md's "Risk profiles"; a test holds the two together.
 *
 * <p>Every profile has the groups an ordinary mini-program needs (storage, navigation, host UI, system, settings);
 * the profiles differ in the groups that reach money, identity, personal data and the network, and in the request
 * rate and total output of a session. Limits are never above the runtime's defaults.
 *
 * <p>Security guarantees: a launch from a release runs under exactly its profile's policy
 * ({@link ReleaseClient#launch}); the switch is exhaustive, so a new profile cannot be launched without a policy.
 */
public final class RiskPolicies {
    /** The groups every profile has. */
    static final Set<ApiGroup> BASE = EnumSet.of(ApiGroup.STORAGE, ApiGroup.NAVIGATION, ApiGroup.HOST_UI, ApiGroup.SYSTEM, ApiGroup.SETTINGS,
            ApiGroup.VIEW, ApiGroup.DEVICE);
    /** The request rate of the profiles with the network that do not need the spec's full rate. */
    static final int REQUESTS_PER_MINUTE_LOW = 60;
    /** The total output of a content session (its pages are text the platform reviewed, not a log stream). */
    static final long CONTENT_SESSION_OUTPUT_BYTES_MAX = 16L * 1024 * 1024;

    private RiskPolicies() {}

    /** The session policy of {@code profile}. */
    public static SessionPolicy of(RiskProfile profile) {
        RuntimeLimits defaults = RuntimeLimits.DEFAULTS;
        return switch (profile) {
            // Payments and accounts: every group, the spec's limits (reviewed as the highest risk).
            case FINANCIAL -> policy(defaults, ApiGroup.NETWORK, ApiGroup.IDENTITY, ApiGroup.PERSONAL_DATA, ApiGroup.PAYMENT);
            // Accounts and profiles, no money.
            case SOCIAL -> policy(defaults, ApiGroup.NETWORK, ApiGroup.IDENTITY, ApiGroup.PERSONAL_DATA);
            // Tools (weather, calculators): location may be needed, accounts and money are not.
            case UTILITY -> policy(lowRequests(defaults), ApiGroup.NETWORK, ApiGroup.PERSONAL_DATA);
            // Reading and media: network only, no personal data, less output.
            case CONTENT -> policy(lowRequests(defaults).withSessionOutputBytesMax(CONTENT_SESSION_OUTPUT_BYTES_MAX), ApiGroup.NETWORK);
            // The platform operator's own mini-programs: every group, the spec's limits.
            case INTERNAL -> policy(defaults, ApiGroup.NETWORK, ApiGroup.IDENTITY, ApiGroup.PERSONAL_DATA, ApiGroup.PAYMENT);
        };
    }

    /** docs/runtime.md's table, generated from {@link #of}. */
    static String markdownTable() {
        StringBuilder md = new StringBuilder("| profile | API groups beyond the base | requests per minute | session output |\n|---|---|---|---|\n");
        for (RiskProfile profile : RiskProfile.values()) {
            SessionPolicy p = of(profile);
            var extra = EnumSet.copyOf(p.apiGroups());
            extra.removeAll(BASE);
            md.append("| `").append(profile.code()).append("` | ")
                    .append(extra.isEmpty() ? "none" : String.join(", ", extra.stream().map(ApiGroup::title).toList()))
                    .append(" | ").append(p.limits().requestsPerMinuteMax())
                    .append(" | ").append(p.limits().sessionOutputBytesMax() / (1024 * 1024)).append(" MiB |\n");
        }
        return md.toString();
    }

    private static RuntimeLimits lowRequests(RuntimeLimits limits) {
        return new RuntimeLimits(limits.statementsPerEventMax(), limits.eventWallMillisMax(), limits.eventAllocatedBytesMax(),
                limits.timersPendingMax(), limits.consoleBytesPerEventMax(), limits.setDataBytesMax(), limits.pageStackDepthMax(),
                limits.requestsInFlightMax(), REQUESTS_PER_MINUTE_LOW, limits.tasksQueuedMax(), limits.sessionOutputBytesMax());
    }

    private static SessionPolicy policy(RuntimeLimits limits, ApiGroup... extra) {
        Set<ApiGroup> groups = EnumSet.copyOf(BASE);
        groups.addAll(Set.of(extra));
        return new SessionPolicy(limits, groups);
    }
}
