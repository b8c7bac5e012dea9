package dev.capsule.server.releases.internal;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.text.SafeText;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleaseEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The kill switch ({@code releases.killswitch}, with step-up at the endpoint): revoking a released version and
 * raising the platform's minimum runtime version. Each is a release log entry ({@code revocation},
 * {@code minimum-runtime}) and a new signed revocation list (sequence + 1) in one transaction, so the list that
 * runtimes poll and the public log never disagree.
 *
 * <p>Security guarantees: only a released version can be revoked, once; a reason is required (one line,
 * {@link #REASON_CHARS_MAX} characters); the minimum runtime only rises; refusals are audited like changes.
 */
@Component
class KillSwitch {
    /** A revocation reason: one line a security officer writes, shown to hosts (the release formats' limit). */
    static final int REASON_CHARS_MAX = dev.capsule.server.releases.ReleaseKillSwitch.REASON_CHARS_MAX;

    private final ReleaseLog releaseLog;
    private final ReleaseStore store;
    private final RevocationLists lists;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    KillSwitch(ReleaseLog releaseLog, ReleaseStore store, RevocationLists lists, TransactionTemplate transactions, ApplicationEventPublisher events) {
        this.releaseLog = releaseLog;
        this.store = store;
        this.lists = lists;
        this.transactions = transactions;
        this.events = events;
    }

    /** Revokes {@code version} of {@code app} everywhere; returns the sequence of the revocation list that carries it. */
    long revoke(MiniProgramId app, String version, String reason, OperatorId actor) {
        return Refusals.audited(transactions, events, refusal -> new ReleaseEvent(ReleaseEvent.Action.REVOKE, app, safeVersion(version), null, actor, refusal), () -> {
            if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX || reason.codePoints().anyMatch(SafeText::isUnsafe)) {
                throw new RefusedChange(ProblemType.VALIDATION, "invalid-reason", "reason must be one line of 1 to " + REASON_CHARS_MAX
                        + " characters without control characters");
            }
            if (!SemanticVersion.isValid(version)) {
                throw new RefusedChange(ProblemType.VALIDATION, "invalid-version", "version must be a semantic version like 1.2.0");
            }
            releaseLog.lock();
            if (store.released(app, version).isEmpty()) {
                throw new RefusedChange(ReleaseProblems.NOT_RELEASED, "not-released", app + " " + version + " was never released");
            }
            if (store.revocation(app, version).isPresent()) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "already-revoked", app + " " + version + " is revoked already");
            }
            long sequence = lists.nextSequence();
            Instant now = now();
            long index = releaseLog.append(List.of(new ReleaseEntry.Revocation(sequence, app.value(), version, reason, actor.value().toString(), now)));
            store.insertRevocation(app, version, reason, index, now);
            long issued = lists.issue().sequence();
            events.publishEvent(new ReleaseEvent(ReleaseEvent.Action.REVOKE, app, version, null, actor, null));
            return issued;
        });
    }

    /** Raises the platform-wide minimum runtime version; returns the sequence of the revocation list that carries it. */
    long setMinimumRuntime(String version, OperatorId actor) {
        return Refusals.audited(transactions, events, refusal -> new ReleaseEvent(ReleaseEvent.Action.MINIMUM_RUNTIME, null, safeVersion(version), null, actor,
                refusal), () -> {
            if (!SemanticVersion.isValid(version)) {
                throw new RefusedChange(ProblemType.VALIDATION, "invalid-version", "version must be a semantic version like 1.2.0");
            }
            releaseLog.lock();
            String current = store.minimumRuntime().orElse(null);
            if (current != null && !SemanticVersion.parse(current).isLowerThan(SemanticVersion.parse(version))) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "not-raised", "the minimum runtime is " + current
                        + "; it only rises (a lower one would let runtimes with known problems back in)");
            }
            long index = releaseLog.append(List.of(new ReleaseEntry.MinimumRuntime(version, actor.value().toString(), now())));
            store.saveMinimumRuntime(version, index);
            long issued = lists.issue().sequence();
            events.publishEvent(new ReleaseEvent(ReleaseEvent.Action.MINIMUM_RUNTIME, null, version, null, actor, null));
            return issued;
        });
    }

    private Instant now() {
        return releaseLog.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A version for the audit entry only when it has a version's form (the caller's text is not trusted). */
    private static String safeVersion(String version) {
        return version != null && SemanticVersion.isValid(version) ? version : null;
    }
}
