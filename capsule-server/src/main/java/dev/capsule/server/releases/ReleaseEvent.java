package dev.capsule.server.releases;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A release action, an event of the releases module published synchronously through Spring's
 * {@code ApplicationEventPublisher}; the audit module writes each to the audit log as the catalogue type of its
 * {@link Action} (docs/audit-events.md). A change that happened is published inside its transaction (a listener that
 * throws undoes it); a refused one ({@link #refusal()} set) is published after its transaction rolled back, in one
 * of its own, so every refusal is audited.
 *
 * <p>Security guarantees: an event holds ids, a version, a percent and a short code, never a package or a key;
 * the reason an operator typed for a revocation is in the release log, not here.
 *
 * @param action  what happened or was refused
 * @param app     the mini-program, or null for a platform-wide change (minimum runtime)
 * @param version the version concerned (the minimum runtime version for {@link Action#MINIMUM_RUNTIME}), or null
 * @param percent the rollout percent asked for ({@link Action#ROLLOUT}), or null
 * @param actor   the operator (the approver for {@link Action#PUBLISH})
 * @param refusal null when it happened; otherwise the lower-case code of why it was refused
 */
public record ReleaseEvent(Action action, MiniProgramId app, String version, Integer percent, OperatorId actor, String refusal) {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,64}");

    /** What a release action does. */
    public enum Action {
        /** An approved version countersigned and appended to the release log. */
        PUBLISH,
        /** The rollout percent raised. */
        ROLLOUT,
        PAUSE,
        RESUME,
        /** Everyone served an earlier approved version. */
        ROLLBACK,
        /** The kill switch: a version revoked everywhere. */
        REVOKE,
        /** The platform-wide minimum runtime version set. */
        MINIMUM_RUNTIME
    }

    public ReleaseEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("a release event's version is a short semantic version");
        }
        if (percent != null && (percent < 0 || percent > 100)) {
            throw new IllegalArgumentException("a rollout percent is 0 to 100");
        }
        if (refusal != null && !CODE.matcher(refusal).matches()) {
            throw new IllegalArgumentException("a refusal is a lower-case code");
        }
    }

    /** Whether the action was refused. */
    public boolean refused() {
        return refusal != null;
    }
}
