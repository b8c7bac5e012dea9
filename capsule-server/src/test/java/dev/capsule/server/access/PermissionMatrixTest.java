package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The matrix's invariants, and how a caller's permissions follow from it. */
class PermissionMatrixTest {

    @Test
    void machinesMayNeverHoldPermissionsThatManagePeopleKeysOrApprovals() {
        Set<Permission> operatorOnly = EnumSet.of(Permission.OPERATORS_READ, Permission.OPERATORS_MANAGE, Permission.ROLES_ASSIGN,
                Permission.APIKEYS_READ, Permission.APIKEYS_MANAGE, Permission.APIKEYS_APPROVE, Permission.KEYS_MANAGE,
                Permission.PACKAGES_REVIEW, Permission.PACKAGES_APPROVE, Permission.RELEASES_MANAGE,
                Permission.RELEASES_KILLSWITCH, Permission.PRIVACY_MANAGE);
        assertThat(Permission.grantableToMachines()).doesNotContainAnyElementsOf(operatorOnly);
        assertThat(Permission.grantableToMachines()).containsExactlyInAnyOrder(Permission.METRICS_READ, Permission.AUDIT_READ,
                Permission.PACKAGES_READ, Permission.PACKAGES_SUBMIT, Permission.PAYMENTS_READ, Permission.WALLETS_FUND,
                Permission.SESSIONS_OPEN);
    }

    @Test
    void everyPermissionIsHeldByARoleAndEveryRoleHoldsSomething() {
        for (Permission permission : Permission.values()) {
            assertThat(permission.roles()).as(permission.code()).isNotEmpty();
            assertThat(permission.code()).matches("[a-z]+\\.[a-z]+");
            assertThat(Permission.fromCode(permission.code())).hasValue(permission);
        }
        for (Role role : Role.values()) {
            assertThat(Permission.of(role)).as(role.code()).isNotEmpty();
        }
    }

    @Test
    void separatedDutiesAreHeldByRolesThatCanBeDifferentPeople() {
        // Approving a key needs a second holder of apikeys.approve; both roles that create keys can approve.
        assertThat(Permission.APIKEYS_APPROVE.roles()).containsAll(Permission.APIKEYS_MANAGE.roles());
        // Whoever submits packages (developers) cannot approve them.
        assertThat(Permission.PACKAGES_SUBMIT.roles()).doesNotContainAnyElementsOf(Permission.PACKAGES_APPROVE.roles());
        // Auditors only read.
        assertThat(Permission.of(Role.AUDITOR)).allSatisfy(p -> assertThat(p.code()).endsWith(".read"));
    }

    @Test
    void operatorHoldsTheUnionOfItsRolesRows() {
        Caller caller = Caller.of(UsernamePasswordAuthenticationToken.authenticated("ann", null,
                AuthorityUtils.createAuthorityList(Role.AUDITOR.authority(), Role.DEVELOPER.authority(), "ROLE_ROOT", "apikeys.manage")))
                .orElseThrow();
        assertThat(caller).isEqualTo(new Caller.Operator("ann", EnumSet.of(Role.AUDITOR, Role.DEVELOPER)));
        Set<Permission> expected = EnumSet.copyOf(Permission.of(Role.AUDITOR));
        expected.addAll(Permission.of(Role.DEVELOPER));
        assertThat(caller.permissions()).isEqualTo(expected);
        assertThat(caller.holds(Permission.APIKEYS_MANAGE)).isFalse();
        assertThat(caller.actorId()).isEqualTo("operator:ann");
    }

    @Test
    void anonymousAndUnauthenticatedAreNoCaller() {
        assertThat(Caller.of(null)).isEmpty();
        assertThat(Caller.of(new AnonymousAuthenticationToken("k", "anonymous", List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")))))
                .isEmpty();
        assertThat(Caller.of(UsernamePasswordAuthenticationToken.unauthenticated("ann", "pw"))).isEmpty();
    }

    @Test
    void machineScopeRefusesOperatorOnlyPermissions() {
        assertThatThrownBy(() -> new Caller.Machine("0123456789abcdef", "ci", EnumSet.of(Permission.ROLES_ASSIGN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roles.assign");
        assertThatThrownBy(() -> new Caller.Machine("0123456789abcdef", "ci", EnumSet.noneOf(Permission.class)))
                .isInstanceOf(IllegalArgumentException.class);
        Caller.Machine machine = new Caller.Machine("0123456789abcdef", "ci", EnumSet.of(Permission.PACKAGES_SUBMIT));
        assertThat(machine.holds(Permission.PACKAGES_SUBMIT)).isTrue();
        assertThat(machine.holds(Permission.PACKAGES_READ)).isFalse();
        assertThat(machine.actorId()).isEqualTo("apikey:0123456789abcdef");
    }
}
