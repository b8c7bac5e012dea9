package dev.capsule.server.access;

import static dev.capsule.server.access.Role.AUDITOR;
import static dev.capsule.server.access.Role.DEVELOPER;
import static dev.capsule.server.access.Role.PLATFORM_ADMIN;
import static dev.capsule.server.access.Role.REVIEWER;
import static dev.capsule.server.access.Role.SECURITY_OFFICER;
import static dev.capsule.server.access.Role.SUPPORT;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do, one fine-grained permission per kind of action. Each constant names the roles
 * that hold it: this enum is the one source of the role-to-permission matrix (docs/rbac.md is
 * checked against it by {@code RbacDocumentTest}), and {@link #machineGrantable()} says whether an
 * API key may carry it.
 *
 * <p>Some permissions guard features the roadmap has not built yet (packages, releases, payments,
 * privacy, signing keys); they are defined now so the matrix is reviewed once, and docs/rbac.md lists
 * which ones guard an endpoint today.
 *
 * <p>Security guarantees: a permission an API key may never hold (everything that manages operators,
 * roles, API keys, signing keys, or approves anything) is marked operator-only here, and
 * {@link Caller.Machine} refuses such a permission in its scope, whatever the database says.
 */
public enum Permission {
    OPERATORS_READ("operators.read", "See operators, their roles and their status",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER, AUDITOR, SUPPORT),
    OPERATORS_MANAGE("operators.manage", "Create, disable and re-enable operators, reset their MFA, end their sessions",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN),
    ROLES_ASSIGN("roles.assign", "Give operators roles and take them away",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN),
    APIKEYS_READ("apikeys.read", "See API keys and their use (never their secrets)",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER, AUDITOR),
    APIKEYS_MANAGE("apikeys.manage", "Create and revoke API keys",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER),
    APIKEYS_APPROVE("apikeys.approve", "Approve an API key another operator created, so that it starts to work",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER),
    METRICS_READ("metrics.read", "Read the server's Prometheus metrics",
            Grant.OPERATORS_AND_MACHINES, PLATFORM_ADMIN, SECURITY_OFFICER),
    AUDIT_READ("audit.read", "Read and export the audit log; read the records of processing",
            Grant.OPERATORS_AND_MACHINES, SECURITY_OFFICER, AUDITOR),
    KEYS_MANAGE("keys.manage", "See the platform's keys; rotate, retire and destroy them",
            Grant.OPERATORS_ONLY, SECURITY_OFFICER),
    PACKAGES_READ("packages.read", "See submitted package versions and their review state",
            Grant.OPERATORS_AND_MACHINES, PLATFORM_ADMIN, SECURITY_OFFICER, REVIEWER, DEVELOPER, AUDITOR, SUPPORT),
    PACKAGES_SUBMIT("packages.submit", "Upload a package version for review",
            Grant.OPERATORS_AND_MACHINES, DEVELOPER),
    PACKAGES_REVIEW("packages.review", "Record review findings on a package version",
            Grant.OPERATORS_ONLY, REVIEWER),
    PACKAGES_APPROVE("packages.approve", "Approve a reviewed package version for signing (never one's own submission)",
            Grant.OPERATORS_ONLY, REVIEWER, SECURITY_OFFICER),
    PACKAGES_EXCEPTION("packages.exception", "Record a policy exception that lets a version with a critical finding be approved",
            Grant.OPERATORS_ONLY, SECURITY_OFFICER),
    ORGANISATIONS_MANAGE("organisations.manage",
            "Register developer organisations, their members, mini-program ids and package-signing keys",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN),
    RELEASES_MANAGE("releases.manage", "Roll approved versions out and back",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN),
    RELEASES_KILLSWITCH("releases.killswitch", "Stop a released version everywhere at once",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER),
    PAYMENTS_READ("payments.read", "See payment records, for support and reconciliation",
            Grant.OPERATORS_AND_MACHINES, PLATFORM_ADMIN, SUPPORT, AUDITOR),
    PAYMENTS_MANAGE("payments.manage", "Register merchants and their keys, disable merchants and webhook endpoints, refund payments",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN),
    WALLETS_FUND("wallets.fund", "Credit an end user's wallet when money arrives from outside (a super-app's backend)",
            Grant.OPERATORS_AND_MACHINES, PLATFORM_ADMIN),
    PRIVACY_MANAGE("privacy.manage", "Carry out users' requests to see or delete their data",
            Grant.OPERATORS_ONLY, SECURITY_OFFICER, SUPPORT),
    INCIDENTS_MANAGE("incidents.manage", "Open, contain and close security incidents; from an incident, sign every other operator out "
            + "and suspend or reinstate developer organisations (its kill switch and key rotation also need their own permission)",
            Grant.OPERATORS_ONLY, PLATFORM_ADMIN, SECURITY_OFFICER),
    SESSIONS_OPEN("sessions.open", "Obtain a session grant that signs an end user in to the shell (a super-app's backend)",
            Grant.OPERATORS_AND_MACHINES, PLATFORM_ADMIN);

    /** Who may be given a permission. */
    public enum Grant {
        /** Operators through their roles only; never an API key. */
        OPERATORS_ONLY,
        /** Operators through their roles, and API keys whose scope names it. */
        OPERATORS_AND_MACHINES
    }

    private final String code;
    private final String description;
    private final Grant grant;
    private final Set<Role> roles;

    Permission(String code, String description, Grant grant, Role... roles) {
        this.code = code;
        this.description = description;
        this.grant = grant;
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(roles)));
    }

    /** The stable name used in the API, the database and docs ("apikeys.manage"). */
    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    public Grant grant() {
        return grant;
    }

    /** Whether an API key (a host application, a machine) may be given this permission. */
    public boolean machineGrantable() {
        return grant == Grant.OPERATORS_AND_MACHINES;
    }

    /** The roles that hold this permission. */
    public Set<Role> roles() {
        return roles;
    }

    /** Every permission a role holds: the role's row of the matrix. */
    public static Set<Permission> of(Role role) {
        EnumSet<Permission> held = EnumSet.noneOf(Permission.class);
        for (Permission permission : values()) {
            if (permission.roles.contains(role)) {
                held.add(permission);
            }
        }
        return Collections.unmodifiableSet(held);
    }

    /** The permissions an API key may carry. */
    public static Set<Permission> grantableToMachines() {
        EnumSet<Permission> grantable = EnumSet.noneOf(Permission.class);
        for (Permission permission : values()) {
            if (permission.machineGrantable()) {
                grantable.add(permission);
            }
        }
        return Collections.unmodifiableSet(grantable);
    }

    public static Optional<Permission> fromCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
    }
}
