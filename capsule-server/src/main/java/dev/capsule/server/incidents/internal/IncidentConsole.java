package dev.capsule.server.incidents.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorDirectory;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.audit.AuditTimeline;
import dev.capsule.server.incidents.IncidentId;
import dev.capsule.server.keys.KeyRotation;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.registry.OrganisationSuspensions;
import dev.capsule.server.releases.ReleaseKillSwitch;
import dev.capsule.server.releases.ReleasedPrograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's incident pages: the incidents with the form that opens one, and an incident's page — its record and
 * notes, its steps, one form per runbook operation (each one POST, with the permission and step-up of the matching
 * {@code /api/v1/incidents} endpoint, through the same {@link Incidents} service) and its timeline from the audit log,
 * each entry linking to the audit console's entry page with its inclusion proof. A refusal is a console page with the
 * API's status ({@link ConsolePage}); a missing step-up shows the step-up form, which returns to the incident's page.
 *
 * <p>Security guarantees: titles, notes, organisation names and entry texts are printed through {@code th:text} only;
 * no script; every form posts with the session's CSRF token; what an operation did is shown once (a flash attribute),
 * never taken from the query string.
 */
@Controller
@ConsolePage
class IncidentConsole {
    static final String INCIDENTS = "/console/incidents";
    /** Released versions offered to the kill switch form at most. */
    static final int RELEASED_LISTED_MAX = 200;

    private final Incidents incidents;
    private final Timelines timelines;
    private final ReleasedPrograms released;
    private final KeyRotation keyRotation;
    private final OrganisationSuspensions suspensions;
    private final ObjectProvider<OperatorDirectory> operators;

    IncidentConsole(Incidents incidents, Timelines timelines, ReleasedPrograms released, KeyRotation keyRotation,
            OrganisationSuspensions suspensions, ObjectProvider<OperatorDirectory> operators) {
        this.incidents = incidents;
        this.timelines = timelines;
        this.released = released;
        this.keyRotation = keyRotation;
        this.suspensions = suspensions;
        this.operators = operators;
    }

    /** A released version the kill switch form offers ({@code value}: "app version"). */
    record ReleasedOption(String value, String label) {
    }

    @GetMapping(INCIDENTS)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    String list(Model model) {
        model.addAttribute("incidents", incidents.list());
        model.addAttribute("titleCharsMax", Incidents.TITLE_CHARS_MAX);
        model.addAttribute("noteCharsMax", Incidents.NOTE_CHARS_MAX);
        return "console/incidents";
    }

    @PostMapping(INCIDENTS)
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    String open(@RequestParam(name = "title", defaultValue = "") String title, @RequestParam(name = "severity", defaultValue = "") String severity,
            @RequestParam(name = "note", defaultValue = "") String note) {
        Incident incident = incidents.open(limit(title, Incidents.TITLE_CHARS_MAX), limit(severity, 16), limit(note, Incidents.NOTE_CHARS_MAX));
        return page(incident.id());
    }

    @GetMapping(INCIDENTS + "/{id}")
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    String incident(@PathVariable("id") String id, @RequestParam(name = "after", required = false) String after, Model model) {
        Incident incident = incidents.existing(Timelines.id(id));
        model.addAttribute("incident", incident);
        model.addAttribute("actors", operators.getIfAvailable(() -> operator -> Optional.empty()));
        model.addAttribute("next", incident.state().next().map(IncidentState::code).orElse(null));
        model.addAttribute("noteCharsMax", Incidents.NOTE_CHARS_MAX);
        model.addAttribute("reasonCharsMax", ReleaseKillSwitch.REASON_CHARS_MAX);
        Caller caller = Caller.current();
        boolean readsAudit = caller.holds(Permission.AUDIT_READ);
        model.addAttribute("readsAudit", readsAudit);
        if (readsAudit) {
            AuditTimeline.TimelinePage page = timelines.page(incident, Timelines.cursor(after));
            model.addAttribute("timeline", page.entries());
            model.addAttribute("timelineNext", page.next().isPresent() ? page.next().getAsLong() : null);
        }
        if (incident.state().acting()) {
            model.addAttribute("mayKill", caller.holds(Permission.RELEASES_KILLSWITCH));
            model.addAttribute("mayRotate", caller.holds(Permission.KEYS_MANAGE));
            model.addAttribute("releasedVersions", caller.holds(Permission.RELEASES_KILLSWITCH) ? releasedOptions() : List.of());
            model.addAttribute("purposes", keyRotation.purposes());
            model.addAttribute("standings", suspensions.standings());
            model.addAttribute("suspensionCharsMax", OrganisationSuspensions.REASON_CHARS_MAX);
        }
        return "console/incident";
    }

    @PostMapping(INCIDENTS + "/{id}/state")
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    String state(@PathVariable("id") String id, @RequestParam(name = "state", defaultValue = "") String state) {
        return page(incidents.transition(Timelines.id(id), limit(state, 16)).id());
    }

    @PostMapping(INCIDENTS + "/{id}/notes")
    @RequiresPermission(Permission.INCIDENTS_MANAGE)
    String note(@PathVariable("id") String id, @RequestParam(name = "text", defaultValue = "") String text) {
        return page(incidents.note(Timelines.id(id), limit(text, Incidents.NOTE_CHARS_MAX)).id());
    }

    @PostMapping(INCIDENTS + "/{id}/kill-switch")
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    String killSwitch(@PathVariable("id") String id, @RequestParam(name = "release", defaultValue = "") String release,
            @RequestParam(name = "reason", defaultValue = "") String reason, RedirectAttributes flash) {
        String[] appAndVersion = limit(release, 200).strip().split(" ", 2);
        return act(id, new RunbookOperation.KillSwitch(IncidentController.app(appAndVersion[0]),
                appAndVersion.length == 2 ? appAndVersion[1] : "", limit(reason, ReleaseKillSwitch.REASON_CHARS_MAX)), flash);
    }

    @PostMapping(INCIDENTS + "/{id}/operator-sign-out")
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    String signOut(@PathVariable("id") String id, RedirectAttributes flash) {
        return act(id, new RunbookOperation.SignOutOperators(), flash);
    }

    @PostMapping(INCIDENTS + "/{id}/key-rotations")
    @RequiresPermission(value = Permission.KEYS_MANAGE, stepUp = true)
    String rotate(@PathVariable("id") String id, @RequestParam(name = "purpose", defaultValue = "") String purpose, RedirectAttributes flash) {
        return act(id, new RunbookOperation.RotateKeys(limit(purpose, 63)), flash);
    }

    @PostMapping(INCIDENTS + "/{id}/suspensions")
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    String suspend(@PathVariable("id") String id, @RequestParam(name = "organisationId", defaultValue = "") String organisationId,
            @RequestParam(name = "reason", defaultValue = "") String reason, RedirectAttributes flash) {
        return act(id, new RunbookOperation.Suspend(IncidentController.organisation(limit(organisationId, 36)),
                limit(reason, OrganisationSuspensions.REASON_CHARS_MAX)), flash);
    }

    @PostMapping(INCIDENTS + "/{id}/suspensions/{organisationId}/lift")
    @RequiresPermission(value = Permission.INCIDENTS_MANAGE, stepUp = true)
    String lift(@PathVariable("id") String id, @PathVariable("organisationId") String organisationId, RedirectAttributes flash) {
        return act(id, new RunbookOperation.LiftSuspension(IncidentController.organisation(organisationId)), flash);
    }

    private String act(String id, RunbookOperation operation, RedirectAttributes flash) {
        IncidentId incident = Timelines.id(id);
        Incidents.Done done = incidents.act(incident, operation);
        flash.addFlashAttribute("done", done.summary());
        flash.addFlashAttribute("follow", done.link().orElse(null));
        return page(incident);
    }

    private List<ReleasedOption> releasedOptions() {
        List<ReleasedOption> options = new ArrayList<>();
        for (ReleasedPrograms.ReleasedProgram program : released.released(Optional.empty(), RELEASED_LISTED_MAX).programs()) {
            for (ReleasedPrograms.ReleasedVersion version : program.versions()) {
                String value = program.app().value() + " " + version.version();
                options.add(new ReleasedOption(value, value + " (" + version.sharePercent() + "% of users)"));
            }
        }
        return options;
    }

    private static String page(IncidentId id) {
        return "redirect:" + INCIDENTS + "/" + id;
    }

    /** Form fields are cut one past their limit, so the service still refuses a value that was too long. */
    private static String limit(String value, int charsMax) {
        return value.length() > charsMax ? value.substring(0, charsMax + 1) : value;
    }
}
