package dev.capsule.server.host.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.registry.MiniProgramId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code POST /api/v1/session-grants}: a super-app's backend (an API key holding {@code sessions.open}) obtains a
 * short-lived, single-use grant that signs one of its users in to the shell; it hands the browser the
 * {@code enterUrl}.
 *
 * <p>Security guarantees: the grant's token is shown once, here, and stored only hashed; its lifetime is at most
 * {@code capsule.host.grant-seconds-max}; the user and mini-program are validated (a malformed one is a
 * {@code validation} problem naming the field); every grant and refusal is audited ({@code session-grant.issue}); a
 * grant that would place the user's data in a region other than the one it is in, or in a region the installation does
 * not have, is a {@code residency} problem (docs/residency.md).
 */
@RestController
@Tag(name = "Host", description = "Signing end users in to the shell (docs/host.md)")
class SessionGrantController {
    private final ShellSignIn signIn;
    private final HostSettings settings;
    private final Residency residency;

    SessionGrantController(ShellSignIn signIn, HostSettings settings, Residency residency) {
        this.signIn = signIn;
        this.settings = settings;
        this.residency = residency;
    }

    /**
     * @param user        the super-app's id of the user (1-128 characters of letters, digits and . _ @ : -)
     * @param miniProgram the one mini-program the grant allows, or null for every released one
     * @param seconds     the grant's lifetime (default {@value ShellSignIn#GRANT_SECONDS_DEFAULT}, capped by grant-seconds-max)
     * @param region      the region the user's data is kept in (the tenant's region; default the installation's home
     *                    region): fixed at the user's first grant, a grant naming another region afterwards is refused
     */
    record GrantRequest(@NotNull @Size(min = 1, max = ShellUserId.CHARS_MAX) String user, @Size(max = 128) String miniProgram, Long seconds,
            @Size(max = RegionId.CHARS_MAX) String region) {
    }

    record Grant(String grant, Instant expiresAt, String enterUrl) {
        @Override
        public String toString() {
            return "Grant[<redacted>, " + expiresAt + "]";
        }
    }

    @PostMapping(path = "/api/v1/session-grants", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.SESSIONS_OPEN)
    @Operation(summary = "A single-use grant that signs a user in to the shell (GET enterUrl in the user's browser)")
    ResponseEntity<Grant> issue(@Valid @RequestBody GrantRequest request) {
        ShellUserId user;
        try {
            user = new ShellUserId(request.user());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, "user: " + e.getMessage());
        }
        Optional<MiniProgramId> app = Optional.empty();
        if (request.miniProgram() != null) {
            app = Optional.of(MiniProgramId.parse(request.miniProgram()).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                    "miniProgram: a mini-program id is reverse-DNS in lower case, like com.example.todo")));
        }
        long seconds = request.seconds() == null ? Math.min(ShellSignIn.GRANT_SECONDS_DEFAULT, settings.grantSecondsMax()) : request.seconds();
        if (seconds < 1 || seconds > settings.grantSecondsMax()) {
            throw new ProblemException(ProblemType.VALIDATION, "seconds: must be 1 to " + settings.grantSecondsMax());
        }
        RegionId region = request.region() == null ? residency.home() : RegionId.parse(request.region())
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION, "region: a region is lower-case words joined by hyphens, like eu-west"));
        String actor = Caller.current().actorId();
        ShellSignIn.IssuedGrant grant = signIn.issue(actor, user, app, seconds, region);
        String enterUrl = ServletUriComponentsBuilder.fromCurrentContextPath().path(ShellPaths.ENTER)
                .queryParam("grant", grant.token()).build().toUriString();
        return ResponseEntity.status(HttpStatus.CREATED).body(new Grant(grant.token(), grant.expiresAt(), enterUrl));
    }
}
