package dev.capsule.server.releases.internal;

import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.RiskAssessment;
import dev.capsule.server.registry.RiskAssessments;
import dev.capsule.server.tlog.StoredEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's release pages (server-rendered, no script, every form with its CSRF token): the mini-programs with a
 * rollout, one mini-program's versions (each with the registry's risk assessment: answers, derived and approved
 * profile) with its rollout percent, pause/resume, rollback and the kill switch, the
 * platform minimum runtime, and the public page of the release log. The forms call the same services as the API,
 * under the same permissions (the kill switch with step-up); a refused change comes back to the page with its
 * reason code. Text from entries, reasons and ids is printed only through {@code th:text}.
 */
@Controller
class ReleasesConsoleController {
    static final String PREFIX = "/console/releases";
    static final String PUBLIC_LOG = "/releases/log";
    static final String KILL_SWITCH = PREFIX + "/kill-switch";
    /** Mini-programs listed on the console's release page. */
    static final int APPS_LISTED_MAX = 200;
    /** Entries shown on the public log page (the newest). */
    static final int LOG_ENTRIES_SHOWN_MAX = 50;
    /** Characters of a form field read at most (longer values are refused by the services' own limits). */
    static final int FIELD_CHARS_MAX = 600;
    /** Versions whose risk assessment the release page shows (the registry's, read one by one). */
    static final int RISK_SHOWN_MAX = 50;

    private final ReleaseStore store;
    private final ReleasesController api;
    private final Rollouts rollouts;
    private final KillSwitch killSwitch;
    private final ReleaseLog releaseLog;
    private final RiskAssessments assessments;

    ReleasesConsoleController(ReleaseStore store, ReleasesController api, Rollouts rollouts, KillSwitch killSwitch, ReleaseLog releaseLog,
            RiskAssessments assessments) {
        this.store = store;
        this.assessments = assessments;
        this.api = api;
        this.rollouts = rollouts;
        this.killSwitch = killSwitch;
        this.releaseLog = releaseLog;
    }

    @GetMapping(PREFIX)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String list(Model model) {
        model.addAttribute("rollouts", store.rollouts(APPS_LISTED_MAX));
        model.addAttribute("minimumRuntime", store.minimumRuntime().orElse(null));
        return "console/releases";
    }

    /** The kill switch's index (security officers): every mini-program with a release, and the minimum runtime form. */
    @GetMapping(KILL_SWITCH)
    @RequiresPermission(Permission.RELEASES_KILLSWITCH)
    String killSwitchIndex(@RequestParam(name = "refused", required = false) String refused, Model model) {
        model.addAttribute("rollouts", store.rollouts(APPS_LISTED_MAX));
        model.addAttribute("minimumRuntime", store.minimumRuntime().orElse(null));
        model.addAttribute("refused", code(refused));
        return "console/kill-switch";
    }

    /** One mini-program's kill switch page: its versions and the revoke form. */
    @GetMapping(PREFIX + "/{appId}/kill-switch")
    @RequiresPermission(Permission.RELEASES_KILLSWITCH)
    String killSwitch(@PathVariable("appId") String appId, @RequestParam(name = "refused", required = false) String refused, Model model) {
        model.addAttribute("state", api.state(ReleasesController.app(appId)));
        model.addAttribute("refused", code(refused));
        return "console/release-kill-switch";
    }

    @GetMapping(PREFIX + "/{appId}")
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String app(@PathVariable("appId") String appId, @RequestParam(name = "refused", required = false) String refused, Model model) {
        ReleasesController.ReleaseState state = api.state(ReleasesController.app(appId));
        model.addAttribute("state", state);
        model.addAttribute("rollbackTargets", state.versions().stream().filter(v -> !v.revoked())
                .map(ReleasesController.VersionView::version)
                .filter(v -> served(state).map(s -> SemanticVersion.parse(v).isLowerThan(SemanticVersion.parse(s))).orElse(false)).toList());
        model.addAttribute("refused", code(refused));
        MiniProgramId app = ReleasesController.app(appId);
        java.util.Map<String, RiskAssessment> risk = new java.util.HashMap<>();
        state.versions().stream().limit(RISK_SHOWN_MAX)
                .forEach(v -> assessments.ofRelease(app, v.version()).ifPresent(a -> risk.put(v.version(), a)));
        model.addAttribute("risk", risk);
        return "console/release";
    }

    @PostMapping(PREFIX + "/{appId}/rollout")
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String rollout(@PathVariable("appId") String appId, @RequestParam(name = "percent", defaultValue = "-1") int percent) {
        MiniProgramId app = ReleasesController.app(appId);
        return back(app, () -> rollouts.setPercent(app, percent, ReleasesController.operator()));
    }

    @PostMapping(PREFIX + "/{appId}/pause")
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String pause(@PathVariable("appId") String appId) {
        MiniProgramId app = ReleasesController.app(appId);
        return back(app, () -> rollouts.setPaused(app, true, ReleasesController.operator()));
    }

    @PostMapping(PREFIX + "/{appId}/resume")
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String resume(@PathVariable("appId") String appId) {
        MiniProgramId app = ReleasesController.app(appId);
        return back(app, () -> rollouts.setPaused(app, false, ReleasesController.operator()));
    }

    @PostMapping(PREFIX + "/{appId}/rollback")
    @RequiresPermission(Permission.RELEASES_MANAGE)
    String rollback(@PathVariable("appId") String appId, @RequestParam(name = "version", defaultValue = "") String version) {
        MiniProgramId app = ReleasesController.app(appId);
        return back(app, () -> rollouts.rollback(app, limit(version), ReleasesController.operator()));
    }

    @PostMapping(PREFIX + "/{appId}/revoke")
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    String revoke(@PathVariable("appId") String appId, @RequestParam(name = "version", defaultValue = "") String version,
            @RequestParam(name = "reason", defaultValue = "") String reason) {
        MiniProgramId app = ReleasesController.app(appId);
        return back(app, "/kill-switch", () -> killSwitch.revoke(app, limit(version), limit(reason), ReleasesController.operator()));
    }

    @PostMapping(KILL_SWITCH + "/minimum-runtime")
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    String minimumRuntime(@RequestParam(name = "version", defaultValue = "") String version) {
        try {
            killSwitch.setMinimumRuntime(limit(version), ReleasesController.operator());
            return "redirect:" + KILL_SWITCH;
        } catch (RefusedChange refused) {
            return "redirect:" + KILL_SWITCH + "?refused=" + refused.code();
        }
    }

    /** The public page of the release log: the latest checkpoint and the newest entries, for anyone. */
    @GetMapping(PUBLIC_LOG)
    String publicLog(Model model) {
        Optional<ReleaseLog.StoredCheckpoint> checkpoint = releaseLog.freshCheckpoint();
        long size = checkpoint.map(ReleaseLog.StoredCheckpoint::size).orElse(0L);
        List<StoredEntry> entries = size == 0 ? List.of()
                : releaseLog.tree().entries(Math.max(0, size - LOG_ENTRIES_SHOWN_MAX), size).reversed();
        model.addAttribute("checkpoint", checkpoint.map(ReleaseLog.StoredCheckpoint::note).orElse(null));
        model.addAttribute("size", size);
        model.addAttribute("entries", entries.stream().map(e -> new ShownEntry(e.index(), new String(e.entry(), StandardCharsets.UTF_8))).toList());
        return "releases/log";
    }

    /** An entry as the public page shows it: its index and its canonical JSON text (printed escaped). */
    record ShownEntry(long index, String json) {
    }

    private static Optional<String> served(ReleasesController.ReleaseState state) {
        return Optional.ofNullable(state.rollingVersion() != null && state.percent() > 0 ? state.rollingVersion() : state.stableVersion());
    }

    private static String back(MiniProgramId app, Runnable change) {
        return back(app, "", change);
    }

    /** Runs a change and redirects to the app's page ({@code suffix}: which one), with the refusal's code when refused. */
    private static String back(MiniProgramId app, String suffix, Runnable change) {
        String page = PREFIX + "/" + URLEncoder.encode(app.value(), StandardCharsets.UTF_8) + suffix;
        try {
            change.run();
            return "redirect:" + page;
        } catch (RefusedChange refused) {
            return "redirect:" + page + "?refused=" + refused.code();
        } catch (ProblemException problem) {
            return "redirect:" + page + "?refused=" + problem.type().slug();
        }
    }

    /** A refusal code from the query string, only when it has a code's form (it is printed, and the client chose it). */
    private static String code(String refused) {
        return refused != null && refused.matches("[a-z][a-z0-9-]{0,62}") ? refused : null;
    }

    private static String limit(String value) {
        return value.length() > FIELD_CHARS_MAX ? value.substring(0, FIELD_CHARS_MAX) : value;
    }
}
