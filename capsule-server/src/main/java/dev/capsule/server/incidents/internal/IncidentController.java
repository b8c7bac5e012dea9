package dev.capsule.server.incidents.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.audit.AuditTimeline;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.OrganisationSuspensions;
import dev.capsule.server.releases.ReleaseKillSwitch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/incidents}: incidents and the runbook operations taken under them (docs/incidents.md). Reading and
 * the incident's own steps need {@code incidents.manage}; each operation declares its owning module's permission with
 * step-up ({@code releases.killswitch}, {@code keys.manage}; {@code incidents.manage} for forced sign-out and
 * suspensions) and {@link Incidents#act} checks {@code incidents.manage} besides; the timeline, which is audit log
 * content, needs {@code audit.read}.
 */
@RestController
@Tag(name = "Incidents", description = "Incident records and the runbook: kill switch, forced sign-out, key rotation, suspension (docs/incidents.md)")
class IncidentController {
    static final String INCIDENTS = "/api/v1/incidents";

    private final Incidents incidents;
    private final Timelines timelines;

    IncidentController(Incidents incidents, Timelines timelines) {
        this.incidents = incidents;
        this.timelines = timelines;
    }

    record OpenRequest(@NotBlank @Size(max = Incidents.TITLE_CHARS_MAX) String title, @NotBlank @Size(max = 16) String severity,
                       @Size(max = Incidents.NOTE_CHARS_MAX) String note) {
    }

    record StateRequest(@NotBlank @Size(max = 16) String state) {
    }

    record NoteRequest(@NotBlank @Size(max = Incidents.NOTE_CHARS_MAX) String text) {
    }

    record KillSwitchRequest(@NotBlank @Size(max = 128) String appId, @NotBlank @Size(max = 64) String version,
                             @NotBlank @Size(max = ReleaseKillSwitch.REASON_CHARS_MAX) String reason) {
    }

    record KeyRotationRequest(@NotBlank @Size(max = 63) String purpose) {
    }

    record SuspensionRequest(@NotBlank @Size(max = 36) String organisationId,
                             @NotBlank @Size(max = OrganisationSuspensions.REASON_CHARS_MAX) String reason) {
    }

    record NoteView(int seq, String author, Instant writtenAt, String text) {
    }

    record IncidentView(String id, String title, String severity, String state, String openedBy, Instant openedAt, Instant containedAt,
                        Instant closedAt, List<NoteView> notes) {
        static IncidentView of(Incident incident) {
            return new IncidentView(incident.id().toString(), incident.title(), incident.severity().code(), incident.state().code(),
                    incident.openedBy().toString(), incident.openedAt(), incident.containedAt().orElse(null),
                    incident.closedAt().orElse(null), incident.notes().stream()
                    .map(note -> new NoteView(note.seq(), note.author().toString(), note.writtenAt(), note.text())).toList());
        }
    }

    record DoneView(String incident, String summary, String follow) {
        static DoneView of(Incident incident, Incidents.Done done) {
            return new DoneView(incident.id().toString(), done.summary(), done.link().orElse(null));
        }
    }

    record TimelineView(String incident, List<AuditTimeline.TimelineEntry> entries, Long next) {
    }

    @GetMapping(path = INCIDENTS, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    @Operation(summary = "Incidents, newest first (at most " + IncidentStore.INCIDENTS_LISTED_MAX + ")")
    List<IncidentView> list() {
        return incidents.list().stream().map(IncidentView::of).toList();
    }

    @PostMapping(path = INCIDENTS, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    @Operation(summary = "Open an incident (title, severity low|medium|high|critical, an optional first note)")
    ResponseEntity<IncidentView> open(@Valid @RequestBody OpenRequest request) {
        Incident incident = incidents.open(request.title(), request.severity(), request.note());
        return ResponseEntity.created(URI.create(INCIDENTS + "/" + incident.id())).body(IncidentView.of(incident));
    }

    @GetMapping(path = INCIDENTS + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    @Operation(summary = "An incident with its notes")
    IncidentView get(@PathVariable("id") String id) {
        return IncidentView.of(incidents.existing(Timelines.id(id)));
    }

    @PostMapping(path = INCIDENTS + "/{id}/state", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    @Operation(summary = "Move an incident on: open → contained → closed, one step at a time (409 incident-state otherwise)")
    IncidentView state(@PathVariable("id") String id, @Valid @RequestBody StateRequest request) {
        return IncidentView.of(incidents.transition(Timelines.id(id), request.state()));
    }

    @PostMapping(path = INCIDENTS + "/{id}/notes", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    @Operation(summary = "Add a note to an incident that is not closed (append-only)")
    IncidentView note(@PathVariable("id") String id, @Valid @RequestBody NoteRequest request) {
        return IncidentView.of(incidents.note(Timelines.id(id), request.text()));
    }

    @GetMapping(path = INCIDENTS + "/{id}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "The incident's timeline from the audit log, oldest first, " + Timelines.PAGE_ENTRIES + " per page ('after': the next page's cursor)")
    TimelineView timeline(@PathVariable("id") String id, @RequestParam(name = "after", required = false) String after) {
        Incident incident = incidents.existing(Timelines.id(id));
        AuditTimeline.TimelinePage page = timelines.page(incident, Timelines.cursor(after));
        return new TimelineView(incident.id().toString(), page.entries(),
                page.next().isPresent() ? page.next().getAsLong() : null);
    }

    @PostMapping(path = INCIDENTS + "/{id}/kill-switch", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    @Operation(summary = "Under the incident: revoke a released version everywhere (the releases module's kill switch); needs step-up and incidents.manage")
    DoneView killSwitch(@PathVariable("id") String id, @Valid @RequestBody KillSwitchRequest request) {
        return act(id, new RunbookOperation.KillSwitch(app(request.appId()), request.version(), request.reason()));
    }

    @PostMapping(path = INCIDENTS + "/{id}/operator-sign-out", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    @Operation(summary = "Under the incident: end every operator session but the caller's (API keys are not sessions); needs step-up")
    DoneView signOut(@PathVariable("id") String id) {
        return act(id, new RunbookOperation.SignOutOperators());
    }

    @PostMapping(path = INCIDENTS + "/{id}/key-rotations", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.KEYS_MANAGE, stepUp = true)
    @Operation(summary = "Under the incident: rotate a purpose's platform keys (the keys module's rotation); needs step-up and incidents.manage")
    DoneView rotate(@PathVariable("id") String id, @Valid @RequestBody KeyRotationRequest request) {
        return act(id, new RunbookOperation.RotateKeys(request.purpose()));
    }

    @PostMapping(path = INCIDENTS + "/{id}/suspensions", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    @Operation(summary = "Under the incident: suspend a developer organisation (its API keys and uploads refused); needs step-up")
    DoneView suspend(@PathVariable("id") String id, @Valid @RequestBody SuspensionRequest request) {
        return act(id, new RunbookOperation.Suspend(organisation(request.organisationId()), request.reason()));
    }

    @PostMapping(path = INCIDENTS + "/{id}/suspensions/{organisationId}/lift", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    @Operation(summary = "Under the incident: lift a developer organisation's suspension; needs step-up")
    DoneView lift(@PathVariable("id") String id, @PathVariable("organisationId") String organisationId) {
        return act(id, new RunbookOperation.LiftSuspension(organisation(organisationId)));
    }

    private DoneView act(String id, RunbookOperation operation) {
        Incident incident = incidents.existing(Timelines.id(id));
        return DoneView.of(incident, incidents.act(incident.id(), operation));
    }

    static MiniProgramId app(String appId) {
        return MiniProgramId.parse(appId).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "the app id must be reverse-DNS in lower case, like com.example.todo"));
    }

    static OrganisationId organisation(String text) {
        return OrganisationId.parse(text == null ? null : text.strip()).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "the organisation id must be a UUID"));
    }

}
