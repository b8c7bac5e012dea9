package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.access.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator administration over HTTP. Each endpoint declares its permission ({@code operators.read},
 * {@code operators.manage}, {@code roles.assign}; the matrix in docs/rbac.md gives the last two to
 * platform-admin only); creating an operator with roles also needs {@code roles.assign}. Granting
 * roles (creating an operator, changing roles) and resetting someone's MFA or password need step-up.
 * The work is {@link OperatorAdministration}'s, which the console's operator pages call too.
 *
 * <p>Security guarantees: those of {@link OperatorAdministration}; a one-time password is in the JSON
 * answer that created it and nowhere else.
 */
@RestController
@RequestMapping(path = "/api/v1/operators", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operators", description = "Operator administration (operators.read, operators.manage, roles.assign)")
class OperatorAdminController {
    /** As many as there are roles (a constant, for the validation annotations). */
    static final int ROLES_MAX = 6;

    private final OperatorAdministration operators;

    OperatorAdminController(OperatorAdministration operators) {
        this.operators = operators;
    }

    record OperatorView(UUID id, String username, List<String> roles, boolean disabled, boolean mustChangePassword,
            boolean mfaEnrolled, Instant createdAt) {
        static OperatorView of(Operator operator) {
            return new OperatorView(operator.id(), operator.username(), operator.roles().stream().map(Role::code).sorted().toList(),
                    operator.disabled(), operator.mustChangePassword(), operator.mfaEnrolled(), operator.createdAt());
        }
    }

    record CreateRequest(@NotNull @Size(max = 63) String username, @NotNull @Size(max = ROLES_MAX) List<@NotNull String> roles) {
    }

    record RolesRequest(@NotNull @Size(max = ROLES_MAX) List<@NotNull String> roles) {
    }

    /** @param oneTimePassword shown only in this response; the operator must change it at first sign-in */
    record CreatedResponse(OperatorView operator, String oneTimePassword) {
        static CreatedResponse of(OperatorAdministration.WithPassword created) {
            return new CreatedResponse(OperatorView.of(created.operator()), created.oneTimePassword());
        }

        @Override
        public String toString() {
            return "CreatedResponse[" + operator + ", oneTimePassword=<redacted>]";
        }
    }

    @RequiresPermission(Permission.OPERATORS_READ)
    @GetMapping
    @Operation(summary = "List operators (at most " + OperatorStore.LIST_OPERATORS_MAX + ", by username)")
    List<OperatorView> list() {
        return operators.list().stream().map(OperatorView::of).toList();
    }

    @RequiresPermission(Permission.OPERATORS_READ)
    @GetMapping("/{username}")
    @Operation(summary = "One operator")
    OperatorView get(@PathVariable("username") String username) {
        return OperatorView.of(operators.find(username));
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an operator with a one-time password (step-up required)")
    CreatedResponse create(@Valid @RequestBody CreateRequest body, HttpServletRequest request) {
        return CreatedResponse.of(operators.create(body.username(), body.roles(), request.getRemoteAddr()));
    }

    @RequiresPermission(value = Permission.ROLES_ASSIGN, stepUp = true)
    @PutMapping(path = "/{username}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace an operator's roles (step-up required)")
    OperatorView setRoles(@PathVariable("username") String username, @Valid @RequestBody RolesRequest body, HttpServletRequest request) {
        return OperatorView.of(operators.setRoles(username, body.roles(), request.getRemoteAddr()));
    }

    @RequiresPermission(Permission.OPERATORS_MANAGE)
    @PostMapping("/{username}/disable")
    @Operation(summary = "Disable an operator and end all their sessions")
    OperatorView disable(@PathVariable("username") String username, HttpServletRequest request) {
        return OperatorView.of(operators.disable(username, request.getRemoteAddr()));
    }

    @RequiresPermission(Permission.OPERATORS_MANAGE)
    @PostMapping("/{username}/enable")
    @Operation(summary = "Enable a disabled operator")
    OperatorView enable(@PathVariable("username") String username, HttpServletRequest request) {
        return OperatorView.of(operators.enable(username, request.getRemoteAddr()));
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping("/{username}/mfa-reset")
    @Operation(summary = "Forget an operator's authenticator and recovery codes (step-up required); they enrol again at next sign-in")
    OperatorView resetMfa(@PathVariable("username") String username, HttpServletRequest request) {
        return OperatorView.of(operators.resetMfa(username, request.getRemoteAddr()));
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping("/{username}/password-reset")
    @Operation(summary = "Give an operator a new one-time password (step-up required); their sessions end")
    CreatedResponse resetPassword(@PathVariable("username") String username, HttpServletRequest request) {
        return CreatedResponse.of(operators.resetPassword(username, request.getRemoteAddr()));
    }
}
