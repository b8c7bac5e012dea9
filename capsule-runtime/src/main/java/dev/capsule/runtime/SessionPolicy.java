package dev.capsule.runtime;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one launch allows its session: its limits (never above the runtime's own: the lower of the two
 * applies, limit by limit) and the {@code wx} API groups it has. A release's risk profile selects one
 * ({@code RiskPolicies}); a host launching a file directly gets {@link #UNRESTRICTED}, the runtime's
 * limits and every group.
 *
 * <p>Security guarantees: an API of a group not in {@link #apiGroups} is absent from the session's
 * {@code wx} and refused by the host if called anyway, in both tiers; a limit here can only lower the
 * runtime's.
 */
public record SessionPolicy(RuntimeLimits limits, Set<ApiGroup> apiGroups) {
    /** The runtime's own limits and every API group. */
    public static final SessionPolicy UNRESTRICTED = new SessionPolicy(RuntimeLimits.DEFAULTS, ApiGroup.all());

    public SessionPolicy {
        Objects.requireNonNull(limits, "limits");
        apiGroups = apiGroups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(apiGroups));
    }
}
