package dev.capsule.server.incidents.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.audit.AuditCorrelation;
import dev.capsule.server.audit.AuditTimeline;
import dev.capsule.server.audit.IncidentEvent;
import dev.capsule.server.identity.OperatorSignOut;
import dev.capsule.server.incidents.IncidentId;
import dev.capsule.server.keys.KeyRotation;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.OrganisationSuspensions;
import dev.capsule.server.releases.ReleaseKillSwitch;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Incidents: opening one, its steps (open → contained → closed), its notes, and the runbook operations taken under it
 * ({@link RunbookOperation}), the one implementation behind {@code /api/v1/incidents} and the console's incident pages.
 * Each operation is done by its owning module's public API — the very services its own endpoints call, so it stays
 * available where it was and behaves the same — inside {@link AuditCorrelation#underIncident}, so the owning module's
 * own audit entry, done or refused, carries the incident's id.
 *
 * <p>Security guarantees: only a signed-in operator acts (never an API key: every step names a person); a step the state
 * does not allow is refused (409 {@code incident-state}) and audited; an operation needs {@code incidents.manage} and
 * the operation's own permission (its endpoint declares the latter with step-up), and is refused on a closed incident;
 * titles and notes are bounded, one-line (titles) texts without control characters, kept in the incidents tables and
 * never written to the audit log or to server logs.
 */
@Service
class Incidents {
    /** An incident's title: one line. */
    static final int TITLE_CHARS_MAX = 200;
    /** A note: a few lines. */
    static final int NOTE_CHARS_MAX = 2_000;

    private final IncidentStore store;
    private final AuditTimeline timeline;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final ReleaseKillSwitch killSwitch;
    private final OperatorSignOut signOut;
    private final KeyRotation keyRotation;
    private final OrganisationSuspensions suspensions;

    Incidents(IncidentStore store, AuditTimeline timeline, ApplicationEventPublisher events, TransactionTemplate transactions,
            ReleaseKillSwitch killSwitch, OperatorSignOut signOut, KeyRotation keyRotation, OrganisationSuspensions suspensions) {
        this.store = store;
        this.timeline = timeline;
        this.events = events;
        this.transactions = transactions;
        this.killSwitch = killSwitch;
        this.signOut = signOut;
        this.keyRotation = keyRotation;
        this.suspensions = suspensions;
    }

    /** What an operation did, in one sentence for the page; {@code link} is a console page to follow it on, if any. */
    record Done(String summary, Optional<String> link) {
    }

    Incident open(String title, String severityCode, String firstNote) {
        OperatorId actor = operator();
        String checkedTitle = text("title", title, TITLE_CHARS_MAX, false);
        IncidentSeverity severity = IncidentSeverity.fromCode(severityCode == null ? "" : severityCode).orElseThrow(() ->
                invalid("severity", "must be one of low, medium, high, critical"));
        String note = firstNote == null || firstNote.isBlank() ? null : text("note", firstNote, NOTE_CHARS_MAX, true);
        IncidentId id = IncidentId.random();
        transactions.executeWithoutResult(status -> {
            Instant now = now();
            store.insert(id, checkedTitle, severity, actor, now, timeline.size());
            events.publishEvent(new IncidentEvent(IncidentEvent.IncidentStep.OPEN, id.value(), actor, severity.code(), null));
            if (note != null) {
                store.addNote(id, 1, actor, now, note);
                events.publishEvent(new IncidentEvent(IncidentEvent.IncidentStep.NOTE, id.value(), actor, null, null));
            }
        });
        return existing(id);
    }

    Incident existing(IncidentId id) {
        return store.find(id, false).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "there is no incident " + id));
    }

    List<Incident> list() {
        return store.list();
    }

    /** Moves the incident to the state named {@code targetCode}: contained (from open) or closed (from contained). */
    Incident transition(IncidentId id, String targetCode) {
        OperatorId actor = operator();
        IncidentState target = IncidentState.fromCode(targetCode == null ? "" : targetCode)
                .filter(state -> state != IncidentState.OPEN)
                .orElseThrow(() -> invalid("state", "must be contained or closed"));
        IncidentEvent.IncidentStep step = target == IncidentState.CONTAINED ? IncidentEvent.IncidentStep.CONTAIN
                : IncidentEvent.IncidentStep.CLOSE;
        audited(id, actor, step, () -> {
            Incident incident = store.find(id, true).orElseThrow(() ->
                    new ProblemException(ProblemType.NOT_FOUND, "there is no incident " + id));
            if (incident.state().next().filter(target::equals).isEmpty()) {
                throw new ProblemException(IncidentProblems.INCIDENT_STATE, "incident " + id + " is " + incident.state().code()
                        + "; an incident goes open → contained → closed, one step at a time", Map.of("state", incident.state().code()));
            }
            store.transition(id, incident.state(), target, actor, now());
            events.publishEvent(new IncidentEvent(step, id.value(), actor, target.code(), null));
        });
        return existing(id);
    }

    Incident note(IncidentId id, String text) {
        OperatorId actor = operator();
        String note = text("text", text, NOTE_CHARS_MAX, true);
        audited(id, actor, IncidentEvent.IncidentStep.NOTE, () -> {
            Incident incident = store.find(id, true).orElseThrow(() ->
                    new ProblemException(ProblemType.NOT_FOUND, "there is no incident " + id));
            if (incident.state() == IncidentState.CLOSED) {
                throw new ProblemException(IncidentProblems.INCIDENT_STATE, "incident " + id + " is closed; its record is final",
                        Map.of("state", incident.state().code()));
            }
            int count = store.noteCount(id);
            if (count >= IncidentStore.NOTES_PER_INCIDENT_MAX) {
                throw new ProblemException(IncidentProblems.INCIDENT_NOTES_FULL, "an incident holds at most "
                        + IncidentStore.NOTES_PER_INCIDENT_MAX + " notes");
            }
            store.addNote(id, count + 1, actor, now(), note);
            events.publishEvent(new IncidentEvent(IncidentEvent.IncidentStep.NOTE, id.value(), actor, null, null));
        });
        return existing(id);
    }

    /** Takes {@code operation} under the incident: the owning module's public API, its audit entries carrying the incident's id. */
    Done act(IncidentId id, RunbookOperation operation) {
        operator();
        Caller caller = Caller.current();
        for (Permission needed : List.of(Permission.INCIDENTS_MANAGE, operation.permission())) {
            if (!caller.holds(needed)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "this needs the permission " + needed.code(),
                        Map.of("permission", needed.code()));
            }
        }
        Incident incident = existing(id);
        if (!incident.state().acting()) {
            throw new ProblemException(IncidentProblems.INCIDENT_STATE, "incident " + id + " is closed; open a new one to act",
                    Map.of("state", incident.state().code()));
        }
        return AuditCorrelation.underIncident(id.value(), () -> switch (operation) {
            case RunbookOperation.KillSwitch kill -> {
                long sequence = killSwitch.revoke(kill.app(), kill.version(), kill.reason());
                yield new Done(kill.app() + " " + kill.version() + " is revoked everywhere (revocation list " + sequence + ").",
                        Optional.of("/console/releases/" + kill.app() + "/kill-switch"));
            }
            case RunbookOperation.SignOutOperators signOutAll -> {
                int ended = signOut.signOutAllOtherSessions();
                yield new Done(ended + " other operator session" + (ended == 1 ? "" : "s") + " ended; yours goes on. API keys are "
                        + "not sessions and keep working.", Optional.empty());
            }
            case RunbookOperation.RotateKeys rotate -> {
                KeyRotation.StartedRotation started = keyRotation.rotate(rotate.purpose());
                yield new Done("Rotation of the " + started.purpose() + " keys started: new primary key " + started.newKeyId()
                        + " (" + started.state() + ").", Optional.of("/console/keys/rotations/" + started.id()));
            }
            case RunbookOperation.Suspend suspend -> {
                suspensions.suspend(suspend.organisation(), suspend.reason());
                yield new Done("Organisation " + suspend.organisation() + " is suspended: its API keys and uploads are refused. "
                        + "What it has released is still served (use the kill switch for that).",
                        Optional.of("/console/organisations/" + suspend.organisation()));
            }
            case RunbookOperation.LiftSuspension lift -> {
                suspensions.lift(lift.organisation());
                yield new Done("Organisation " + lift.organisation() + "'s suspension is lifted.",
                        Optional.of("/console/organisations/" + lift.organisation()));
            }
        });
    }

    /** Runs a step in a transaction; a refusal rolls it back and is audited in a transaction of its own. */
    private void audited(IncidentId id, OperatorId actor, IncidentEvent.IncidentStep step, Runnable action) {
        try {
            transactions.executeWithoutResult(status -> action.run());
        } catch (ProblemException refused) {
            if (!refused.type().equals(ProblemType.NOT_FOUND)) {
                transactions.executeWithoutResult(status -> events.publishEvent(
                        new IncidentEvent(step, id.value(), actor, null, refused.type().slug())));
            }
            throw refused;
        }
    }

    /** The acting operator: incidents name a person, never an API key. */
    static OperatorId operator() {
        if (Caller.current() instanceof Caller.Operator operator) {
            return operator.operatorId().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN,
                    "only a signed-in operator may handle incidents"));
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "only a signed-in operator may handle incidents, never an API key");
    }

    private static String text(String field, String value, int charsMax, boolean multiLine) {
        if (value == null || value.isBlank() || value.length() > charsMax) {
            throw invalid(field, "must be 1 to " + charsMax + " characters");
        }
        String normalized = value.replace("\r\n", "\n").strip();
        boolean unsafe = normalized.codePoints().anyMatch(c -> (multiLine && c == '\n') ? false : SafeText.isUnsafe(c));
        if (unsafe) {
            throw invalid(field, multiLine ? "must be printable text (line breaks allowed)" : "must be one line of printable text");
        }
        return normalized;
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
