package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.SeparationOfDuties;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Operator administration, the one implementation behind both the {@code /api/v1/operators} API and the
 * console's operator pages: each caller declares the same permission and step-up on its endpoint (the
 * access module enforces them before this runs); the checks that depend on the request's content are here.
 *
 * <p>Security guarantees: one-time passwords are returned once, in the answer that created them, and
 * stored only as Argon2id hashes; disabling, resetting MFA and resetting a password end all of that
 * operator's sessions at once; no change may leave the platform without an enabled platform admin;
 * nobody changes their own roles (separation of duties: another admin must); creating an operator with
 * roles needs {@code roles.assign} besides {@code operators.manage}; every change is audited with the
 * acting and the affected operator's ids.
 */
@Service
class OperatorAdministration {
    /** As many as there are roles. */
    static final int ROLES_MAX = Role.values().length;

    private final OperatorStore store;
    private final Passwords passwords;
    private final OperatorSessions sessions;
    private final CurrentOperator current;
    private final ApplicationEventPublisher audit;
    private final Clock clock;

    OperatorAdministration(OperatorStore store, Passwords passwords, OperatorSessions sessions, CurrentOperator current,
            ApplicationEventPublisher audit, IdentityClock clock) {
        this.store = store;
        this.passwords = passwords;
        this.sessions = sessions;
        this.current = current;
        this.audit = audit;
        this.clock = clock.clock();
    }

    /** An operator with a one-time password, which exists only in this value (and is never printed by it). */
    record WithPassword(Operator operator, String oneTimePassword) {
        @Override
        public String toString() {
            return "WithPassword[" + operator + ", oneTimePassword=<redacted>]";
        }
    }

    List<Operator> list() {
        return store.list();
    }

    Operator find(String username) {
        return store.findByUsername(SignInFlow.normalizeUsername(username))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no operator is named '" + printable(username) + "'"));
    }

    WithPassword create(String typedUsername, Collection<String> roleCodes, String address) {
        String username = SignInFlow.normalizeUsername(typedUsername);
        if (username.length() > SignInFlow.USERNAME_CHARS_MAX || !SignInFlow.USERNAME.matcher(username).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "a username is 2 to 63 characters: a lower-case letter, then "
                    + "lower-case letters, digits, '.', '_' or '-'");
        }
        Set<Role> roles = roles(roleCodes);
        if (!roles.isEmpty() && !Caller.current().holds(Permission.ROLES_ASSIGN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "creating an operator with roles needs the permission '"
                    + Permission.ROLES_ASSIGN.code() + "'", Map.of("permission", Permission.ROLES_ASSIGN.code()));
        }
        String password = passwords.oneTimePassword();
        UUID id = UUID.randomUUID();
        if (!store.insert(id, username, passwords.hash(password), roles, clock.instant())) {
            throw new ProblemException(OperatorProblems.OPERATOR_EXISTS, "an operator named '" + username + "' exists");
        }
        audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_CREATE, actor(), OperatorId.of(id), address));
        return new WithPassword(store.findById(id).orElseThrow(), password);
    }

    Operator setRoles(String username, Collection<String> roleCodes, String address) {
        Operator operator = find(username);
        SeparationOfDuties.requireDifferentActor(Caller.Operator.actorIdOf(operator.operatorId()), Caller.current().actorId(),
                "change the roles of operator " + operator.username());
        Set<Role> roles = roles(roleCodes);
        keepingAnAdmin(() -> store.setRoles(operator.id(), roles));
        return audited(AuditEventType.OPERATOR_ASSIGN_ROLES, operator, address);
    }

    Operator disable(String username, String address) {
        Operator operator = find(username);
        keepingAnAdmin(() -> store.setDisabled(operator.id(), true));
        sessions.signOutEverywhere(operator.id());
        return audited(AuditEventType.OPERATOR_DISABLE, operator, address);
    }

    Operator enable(String username, String address) {
        Operator operator = find(username);
        store.setDisabled(operator.id(), false);
        return audited(AuditEventType.OPERATOR_ENABLE, operator, address);
    }

    Operator resetMfa(String username, String address) {
        Operator operator = find(username);
        store.resetMfa(operator.id());
        sessions.signOutEverywhere(operator.id());
        return audited(AuditEventType.OPERATOR_MFA_RESET, operator, address);
    }

    WithPassword resetPassword(String username, String address) {
        Operator operator = find(username);
        String password = passwords.oneTimePassword();
        store.resetPassword(operator.id(), passwords.hash(password));
        sessions.signOutEverywhere(operator.id());
        audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_PASSWORD_RESET, actor(), operator.operatorId(), address));
        return new WithPassword(find(username), password);
    }

    /** Records a change to {@code operator} in the audit trail and answers with the operator as they are now. */
    private Operator audited(AuditEventType action, Operator operator, String address) {
        audit.publishEvent(SecurityEvent.success(action, actor(), operator.operatorId(), address));
        return find(operator.username());
    }

    private void keepingAnAdmin(Runnable change) {
        if (!store.keepingAnAdmin(change)) {
            throw new ProblemException(OperatorProblems.LAST_PLATFORM_ADMIN,
                    "this would leave no enabled platform-admin; give another operator that role first");
        }
    }

    private OperatorId actor() {
        return current.require().operatorId();
    }

    private static Set<Role> roles(Collection<String> codes) {
        if (codes.size() > ROLES_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "at most " + ROLES_MAX + " roles may be named");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String code : codes) {
            roles.add(Role.fromCode(code).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                    "unknown role '" + printable(code) + "'; roles are "
                            + Arrays.stream(Role.values()).map(Role::code).collect(Collectors.joining(", ")))));
        }
        return roles;
    }

    /** A client's string echoed in a problem: bounded and printable. */
    private static String printable(String text) {
        String printable = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
