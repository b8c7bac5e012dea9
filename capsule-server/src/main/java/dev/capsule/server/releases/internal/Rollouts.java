package dev.capsule.server.releases.internal;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleaseEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Staged rollout and rollback ({@code releases.manage}); every change is a release log entry appended in the
 * change's transaction, and every change or refusal is published as a {@link ReleaseEvent} for the audit log.
 *
 * <p>The model, per mini-program: {@code rolling} is served to the users whose bucket
 * ({@link RolloutBuckets#bucket}, 0..99) is below {@code percent}, {@code stable} to the others. The percent only
 * grows, so a user who got the newer version never gets the older one again (a runtime refuses a lower version
 * without a rollback entry). Pause freezes the percent (raising it is refused until resume); it does not take the
 * version away from users who have it, for the same reason. A new release during a rollout replaces
 * {@code rolling} at the same percent (those users move up once more); after a completed one (100%) the finished
 * version becomes {@code stable} and the new one starts at 0%. A rollback serves an earlier released,
 * unrevoked version to everyone, with a {@code rollback} entry the runtime accepts for the lower version.
 *
 * <p>Security guarantees: a percent that does not grow, a change while paused, a rollback to a version that was
 * never released, is revoked or is not earlier than what is served are refused with a specific problem and
 * audited as refused; nothing is half-changed (one transaction under the release log's lock).
 */
@Component
class Rollouts {
    private final ReleaseLog releaseLog;
    private final ReleaseStore store;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    Rollouts(ReleaseLog releaseLog, ReleaseStore store, TransactionTemplate transactions, ApplicationEventPublisher events) {
        this.releaseLog = releaseLog;
        this.store = store;
        this.transactions = transactions;
        this.events = events;
    }

    /** The rollout state once {@code version} is released (see the class comment). */
    static ReleaseStore.Rollout afterRelease(Optional<ReleaseStore.Rollout> current, MiniProgramId app, String version) {
        if (current.isEmpty()) {
            return new ReleaseStore.Rollout(app, null, version, 100, false, null);
        }
        ReleaseStore.Rollout state = current.get();
        if (state.rolling() == null) {
            return new ReleaseStore.Rollout(app, state.stable(), version, 0, false, state.rollbackEntry());
        }
        if (state.percent() == 100) {
            return new ReleaseStore.Rollout(app, state.rolling(), version, 0, false, null);
        }
        return new ReleaseStore.Rollout(app, state.stable(), version, state.percent(), state.paused(), state.rollbackEntry());
    }

    /** Raises the percent of the version being rolled out. */
    ReleaseStore.Rollout setPercent(MiniProgramId app, int percent, OperatorId actor) {
        return change(ReleaseEvent.Action.ROLLOUT, app, percent, actor, () -> {
            if (percent < 0 || percent > 100) {
                throw new RefusedChange(dev.capsule.server.platform.ProblemType.VALIDATION, "percent-out-of-range", "percent must be 0 to 100");
            }
            ReleaseStore.Rollout state = rolling(app);
            if (state.paused()) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "rollout-paused", "the rollout of " + state.rolling()
                        + " is paused; resume it before raising its percent");
            }
            if (percent <= state.percent()) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "percent-not-growing", "the rollout of " + state.rolling() + " is at "
                        + state.percent() + "%; a rollout only grows (users who got a version keep it), so ask for more than that");
            }
            ReleaseStore.Rollout next = new ReleaseStore.Rollout(app, state.stable(), state.rolling(), percent, false, state.rollbackEntry());
            append(new ReleaseEntry.Rollout(app.value(), next.rolling(), percent, false, actor.value().toString(), now()));
            store.saveRollout(next);
            return next;
        });
    }

    /** Pauses ({@code paused} true) or resumes the rollout in progress. */
    ReleaseStore.Rollout setPaused(MiniProgramId app, boolean paused, OperatorId actor) {
        return change(paused ? ReleaseEvent.Action.PAUSE : ReleaseEvent.Action.RESUME, app, null, actor, () -> {
            ReleaseStore.Rollout state = rolling(app);
            if (state.paused() == paused) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, paused ? "already-paused" : "not-paused",
                        "the rollout of " + state.rolling() + (paused ? " is paused already" : " is not paused"));
            }
            ReleaseStore.Rollout next = new ReleaseStore.Rollout(app, state.stable(), state.rolling(), state.percent(), paused, state.rollbackEntry());
            append(new ReleaseEntry.Rollout(app.value(), next.rolling(), next.percent(), paused, actor.value().toString(), now()));
            store.saveRollout(next);
            return next;
        });
    }

    /** Serves the earlier released {@code version} to everyone. */
    ReleaseStore.Rollout rollback(MiniProgramId app, String version, OperatorId actor) {
        return change(ReleaseEvent.Action.ROLLBACK, app, null, actor, version, () -> {
            if (!SemanticVersion.isValid(version)) {
                throw new RefusedChange(dev.capsule.server.platform.ProblemType.VALIDATION, "invalid-version", "version must be a semantic version like 1.2.0");
            }
            ReleaseStore.Rollout state = store.rollout(app).orElseThrow(() -> new RefusedChange(ReleaseProblems.NOT_RELEASED, "not-released",
                    app + " has no released version"));
            if (store.released(app, version).isEmpty()) {
                throw new RefusedChange(ReleaseProblems.NOT_RELEASED, "not-released", app + " " + version
                        + " was never approved and released; a rollback goes only to an earlier released version");
            }
            if (store.revocation(app, version).isPresent()) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "revoked", app + " " + version + " is revoked; roll back to another version");
            }
            String from = state.rolling() != null && state.percent() > 0 ? state.rolling() : state.stable();
            if (from == null || !SemanticVersion.parse(version).isLowerThan(SemanticVersion.parse(from))) {
                throw new RefusedChange(ReleaseProblems.STATE_CONFLICT, "not-earlier", "a rollback serves a version earlier than the one served ("
                        + from + "), not " + version);
            }
            long index = append(new ReleaseEntry.Rollback(app.value(), version, from, actor.value().toString(), now()));
            ReleaseStore.Rollout next = new ReleaseStore.Rollout(app, version, null, 0, false, index);
            store.saveRollout(next);
            return next;
        });
    }

    private ReleaseStore.Rollout rolling(MiniProgramId app) {
        return store.rollout(app).filter(state -> state.rolling() != null)
                .orElseThrow(() -> new RefusedChange(ReleaseProblems.STATE_CONFLICT, "no-rollout", app + " has no version being rolled out"));
    }

    private long append(ReleaseEntry entry) {
        return releaseLog.append(List.of(entry));
    }

    private Instant now() {
        return releaseLog.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private ReleaseStore.Rollout change(ReleaseEvent.Action kind, MiniProgramId app, Integer percent, OperatorId actor,
            java.util.function.Supplier<ReleaseStore.Rollout> action) {
        return change(kind, app, percent, actor, null, action);
    }

    /**
     * Runs {@code action} in one transaction under the release log's lock, publishing the event inside it; a refusal
     * rolls back and is then published (and so audited) in a transaction of its own.
     */
    private ReleaseStore.Rollout change(ReleaseEvent.Action kind, MiniProgramId app, Integer percent, OperatorId actor, String version,
            java.util.function.Supplier<ReleaseStore.Rollout> action) {
        return Refusals.audited(transactions, events, refusal -> new ReleaseEvent(kind, app, version, percent, actor, refusal), () -> {
            releaseLog.lock();
            ReleaseStore.Rollout next = action.get();
            events.publishEvent(new ReleaseEvent(kind, app, version != null ? version : next.rolling(), percent, actor, null));
            return next;
        });
    }
}
