package dev.capsule.server.releases.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Managing releases: the rollout of a mini-program ({@code releases.manage}: percent, pause, resume, rollback) and
 * the kill switch ({@code releases.killswitch} with step-up: revoke a version, raise the minimum runtime). Every
 * change is a release log entry; every change and refusal is audited.
 */
@RestController
@Tag(name = "Releases", description = "Staged rollout, rollback, kill switch and minimum runtime (docs/releases.md)")
class ReleasesController {
    /** Versions listed per mini-program. */
    static final int VERSIONS_LISTED_MAX = 100;

    private final ReleaseStore store;
    private final Rollouts rollouts;
    private final KillSwitch killSwitch;

    ReleasesController(ReleaseStore store, Rollouts rollouts, KillSwitch killSwitch) {
        this.store = store;
        this.rollouts = rollouts;
        this.killSwitch = killSwitch;
    }

    record VersionView(String version, long entryIndex, Instant releasedAt, boolean revoked) {
    }

    record ReleaseState(String appId, String stableVersion, String rollingVersion, int percent, boolean paused, Long rollbackEntry,
            List<VersionView> versions) {
    }

    record PercentRequest(@NotNull @Min(0) @Max(100) Integer percent) {
    }

    record RollbackRequest(@NotBlank @Size(max = 64) String version) {
    }

    record RevokeRequest(@NotBlank @Size(max = 64) String version, @NotBlank @Size(max = KillSwitch.REASON_CHARS_MAX) String reason) {
    }

    record MinimumRuntimeRequest(@NotBlank @Size(max = 64) String version) {
    }

    record Revoked(String appId, String version, long revocationListSequence) {
    }

    record MinimumRuntime(String version, long revocationListSequence) {
    }

    @GetMapping(path = "/api/v1/releases/{appId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    @Operation(summary = "A mini-program's rollout state and released versions (newest first, at most " + VERSIONS_LISTED_MAX + ")")
    ReleaseState state(@PathVariable("appId") String appId) {
        return state(app(appId));
    }

    @PostMapping(path = "/api/v1/releases/{appId}/rollout", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    @Operation(summary = "Raise the rollout percent of the version being rolled out (it only grows; refused while paused)")
    ReleaseState rollout(@PathVariable("appId") String appId, @Valid @RequestBody PercentRequest request) {
        MiniProgramId app = app(appId);
        rollouts.setPercent(app, request.percent(), operator());
        return state(app);
    }

    @PostMapping(path = "/api/v1/releases/{appId}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    @Operation(summary = "Pause the rollout in progress (its percent is frozen until resumed)")
    ReleaseState pause(@PathVariable("appId") String appId) {
        MiniProgramId app = app(appId);
        rollouts.setPaused(app, true, operator());
        return state(app);
    }

    @PostMapping(path = "/api/v1/releases/{appId}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    @Operation(summary = "Resume a paused rollout")
    ReleaseState resume(@PathVariable("appId") String appId) {
        MiniProgramId app = app(appId);
        rollouts.setPaused(app, false, operator());
        return state(app);
    }

    @PostMapping(path = "/api/v1/releases/{appId}/rollback", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASES_MANAGE)
    @Operation(summary = "Serve an earlier released, unrevoked version to everyone (a rollback entry in the release log)")
    ReleaseState rollback(@PathVariable("appId") String appId, @Valid @RequestBody RollbackRequest request) {
        MiniProgramId app = app(appId);
        rollouts.rollback(app, request.version(), operator());
        return state(app);
    }

    @PostMapping(path = "/api/v1/releases/{appId}/revocations", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    @Operation(summary = "Kill switch: revoke a released version everywhere (a revocation entry and a new signed revocation list); needs step-up")
    Revoked revoke(@PathVariable("appId") String appId, @Valid @RequestBody RevokeRequest request) {
        MiniProgramId app = app(appId);
        long sequence = killSwitch.revoke(app, request.version(), request.reason(), operator());
        return new Revoked(app.value(), request.version(), sequence);
    }

    @PutMapping(path = "/api/v1/releases/minimum-runtime", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.RELEASES_KILLSWITCH, stepUp = true)
    @Operation(summary = "Raise the platform-wide minimum runtime version (carried in the revocation list); needs step-up")
    MinimumRuntime minimumRuntime(@Valid @RequestBody MinimumRuntimeRequest request) {
        return new MinimumRuntime(request.version(), killSwitch.setMinimumRuntime(request.version(), operator()));
    }

    ReleaseState state(MiniProgramId app) {
        ReleaseStore.Rollout rollout = store.rollout(app).orElseThrow(() -> new ProblemException(ReleaseProblems.NOT_RELEASED,
                app + " has no released version"));
        List<VersionView> versions = store.releasedVersions(app, VERSIONS_LISTED_MAX).stream()
                .map(r -> new VersionView(r.version(), r.entryIndex(), r.releasedAt(), store.revocation(app, r.version()).isPresent()))
                .toList();
        return new ReleaseState(app.value(), rollout.stable(), rollout.rolling(), rollout.percent(), rollout.paused(), rollout.rollbackEntry(), versions);
    }

    static MiniProgramId app(String appId) {
        return MiniProgramId.parse(appId).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "the app id must be reverse-DNS in lower case, like com.example.todo"));
    }

    /** The operator acting: release changes name a person, never an API key. */
    static OperatorId operator() {
        if (Caller.current() instanceof Caller.Operator operator) {
            return operator.operatorId().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN, "only a signed-in operator may change releases"));
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "only a signed-in operator may change releases, never an API key");
    }
}
