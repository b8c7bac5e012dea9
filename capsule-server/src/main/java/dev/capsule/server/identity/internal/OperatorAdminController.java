package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.SeparationOfDuties;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * Operator administration. Each endpoint declares its permission ({@code operators.read},
 * {@code operators.manage}, {@code roles.assign}; the matrix in docs/rbac.md gives the last two to
 * platform-admin only); creating an operator with roles also needs {@code roles.assign}. Granting
 * roles (creating an operator, changing roles) and resetting someone's MFA or password need step-up.
 *
 * <p>Security guarantees: one-time passwords are returned once, in the response that created them,
 * and stored only as Argon2id hashes; disabling, resetting MFA and resetting a password end all of that
 * operator's sessions at once; no change may leave the platform without an enabled platform admin;
 * nobody changes their own roles (separation of duties: another admin must);
 * every change is audited with the acting and the affected operator's ids.
 */
@RestController
@RequestMapping(path = "/api/v1/operators", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operators", description = "Operator administration (operators.read, operators.manage, roles.assign)")
class OperatorAdminController {
    /** As many as there are roles (a constant, for the validation annotations). */
    static final int ROLES_MAX = 6;

    private final OperatorStore store;
    private final Passwords passwords;
    private final OperatorSessions sessions;
    private final CurrentOperator current;
    private final ApplicationEventPublisher audit;
    private final Clock clock;

    OperatorAdminController(OperatorStore store, Passwords passwords, OperatorSessions sessions, CurrentOperator current,
            ApplicationEventPublisher audit, IdentityClock clock) {
        this.store = store;
        this.passwords = passwords;
        this.sessions = sessions;
        this.current = current;
        this.audit = audit;
        this.clock = clock.clock();
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
        @Override
        public String toString() {
            return "CreatedResponse[" + operator + ", oneTimePassword=<redacted>]";
        }
    }

    @RequiresPermission(Permission.OPERATORS_READ)
    @GetMapping
    @Operation(summary = "List operators (at most " + OperatorStore.LIST_OPERATORS_MAX + ", by username)")
    List<OperatorView> list() {
        return store.list().stream().map(OperatorView::of).toList();
    }

    @RequiresPermission(Permission.OPERATORS_READ)
    @GetMapping("/{username}")
    @Operation(summary = "One operator")
    OperatorView get(@PathVariable("username") String username) {
        return OperatorView.of(find(username));
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an operator with a one-time password (step-up required)")
    CreatedResponse create(@Valid @RequestBody CreateRequest body, HttpServletRequest request) {
        String username = SignInFlow.normalizeUsername(body.username());
        if (!SignInFlow.USERNAME.matcher(username).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "a username is 2 to 63 characters: a lower-case letter, then "
                    + "lower-case letters, digits, '.', '_' or '-'");
        }
        Set<Role> roles = roles(body.roles());
        if (!roles.isEmpty() && !Caller.current().holds(Permission.ROLES_ASSIGN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "creating an operator with roles needs the permission '"
                    + Permission.ROLES_ASSIGN.code() + "'", Map.of("permission", Permission.ROLES_ASSIGN.code()));
        }
        String password = passwords.oneTimePassword();
        UUID id = UUID.randomUUID();
        if (!store.insert(id, username, passwords.hash(password), roles, clock.instant())) {
            throw new ProblemException(OperatorProblems.OPERATOR_EXISTS, "an operator named '" + username + "' exists");
        }
        audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_CREATE, actor(), OperatorId.of(id), request.getRemoteAddr()));
        return new CreatedResponse(OperatorView.of(store.findById(id).orElseThrow()), password);
    }

    @RequiresPermission(value = Permission.ROLES_ASSIGN, stepUp = true)
    @PutMapping(path = "/{username}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace an operator's roles (step-up required)")
    OperatorView setRoles(@PathVariable("username") String username, @Valid @RequestBody RolesRequest body, HttpServletRequest request) {
        Operator operator = find(username);
        SeparationOfDuties.requireDifferentActor(Caller.Operator.actorIdOf(operator.operatorId()), Caller.current().actorId(),
                "change the roles of operator " + operator.username());
        Set<Role> roles = roles(body.roles());
        keepingAnAdmin(() -> store.setRoles(operator.id(), roles));
        return audited(AuditEventType.OPERATOR_ASSIGN_ROLES, operator, request);
    }

    @RequiresPermission(Permission.OPERATORS_MANAGE)
    @PostMapping("/{username}/disable")
    @Operation(summary = "Disable an operator and end all their sessions")
    OperatorView disable(@PathVariable("username") String username, HttpServletRequest request) {
        Operator operator = find(username);
        keepingAnAdmin(() -> store.setDisabled(operator.id(), true));
        sessions.signOutEverywhere(operator.id());
        return audited(AuditEventType.OPERATOR_DISABLE, operator, request);
    }

    @RequiresPermission(Permission.OPERATORS_MANAGE)
    @PostMapping("/{username}/enable")
    @Operation(summary = "Enable a disabled operator")
    OperatorView enable(@PathVariable("username") String username, HttpServletRequest request) {
        Operator operator = find(username);
        store.setDisabled(operator.id(), false);
        return audited(AuditEventType.OPERATOR_ENABLE, operator, request);
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping("/{username}/mfa-reset")
    @Operation(summary = "Forget an operator's authenticator and recovery codes (step-up required); they enrol again at next sign-in")
    OperatorView resetMfa(@PathVariable("username") String username, HttpServletRequest request) {
        Operator operator = find(username);
        store.resetMfa(operator.id());
        sessions.signOutEverywhere(operator.id());
        return audited(AuditEventType.OPERATOR_MFA_RESET, operator, request);
    }

    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    @PostMapping("/{username}/password-reset")
    @Operation(summary = "Give an operator a new one-time password (step-up required); their sessions end")
    CreatedResponse resetPassword(@PathVariable("username") String username, HttpServletRequest request) {
        Operator operator = find(username);
        String password = passwords.oneTimePassword();
        store.resetPassword(operator.id(), passwords.hash(password));
        sessions.signOutEverywhere(operator.id());
        audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_PASSWORD_RESET, actor(), operator.operatorId(), request.getRemoteAddr()));
        return new CreatedResponse(OperatorView.of(find(username)), password);
    }

    /** Records a change to {@code operator} in the audit trail and answers with the operator as they are now. */
    private OperatorView audited(AuditEventType action, Operator operator, HttpServletRequest request) {
        audit.publishEvent(SecurityEvent.success(action, actor(), operator.operatorId(), request.getRemoteAddr()));
        return OperatorView.of(find(operator.username()));
    }

    private void keepingAnAdmin(Runnable change) {
        if (!store.keepingAnAdmin(change)) {
            throw new ProblemException(OperatorProblems.LAST_PLATFORM_ADMIN,
                    "this would leave no enabled platform-admin; give another operator that role first");
        }
    }

    private Operator find(String username) {
        return store.findByUsername(SignInFlow.normalizeUsername(username))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no operator is named '" + username + "'"));
    }

    private OperatorId actor() {
        return current.require().operatorId();
    }

    private static Set<Role> roles(List<String> codes) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String code : codes) {
            roles.add(Role.fromCode(code).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                    "unknown role '" + code + "'; roles are " + Arrays.stream(Role.values()).map(Role::code).collect(Collectors.joining(", ")))));
        }
        return roles;
    }
}
