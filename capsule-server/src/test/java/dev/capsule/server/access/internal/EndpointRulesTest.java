package dev.capsule.server.access.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.SelfService;
import dev.capsule.server.access.StepUpCheck;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.SecurityContribution;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/** How declarations become requirements, and that an undeclared server endpoint is refused for everyone. */
class EndpointRulesTest {
    private final EndpointRules rules = rules(List.of("/api/v1/identity/sign-in"));

    /** Lives in dev.capsule.server.., so it counts as a server handler. */
    static final class Handlers {
        @RequiresPermission(Permission.AUDIT_READ)
        public String declared() {
            return "ok";
        }

        @SelfService
        public String self() {
            return "ok";
        }

        @SelfService(operatorsOnly = true)
        public String ownAccount() {
            return "ok";
        }

        public String undeclared() {
            return "ok";
        }

        @RequiresPermission(value = Permission.AUDIT_READ, stepUp = true)
        public String sensitive() {
            return "ok";
        }

        @SelfService(operatorsOnly = true, stepUp = true)
        public String ownSensitive() {
            return "ok";
        }
    }

    /** The checks the interceptor's step-up gate finds: none unless a test installs one. */
    private final DefaultListableBeanFactory stepUpChecks = new DefaultListableBeanFactory();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void annotationsPublicPathsAndEverythingElse() throws Exception {
        assertThat(rules.of(Handlers.class, method("declared"), "/api/v1/audit")).isEqualTo(new Requirement.Needs(Permission.AUDIT_READ, false));
        assertThat(rules.of(Handlers.class, method("self"), "/api/v1/me")).isEqualTo(new Requirement.Authenticated());
        assertThat(rules.of(Handlers.class, method("undeclared"), "/api/v1/things")).isEqualTo(new Requirement.Undeclared());
        assertThat(rules.of(Handlers.class, method("undeclared"), "/api/v1/identity/sign-in")).isEqualTo(new Requirement.Public());
        assertThat(rules.of(Handlers.class, method("undeclared"), "/api/v1/health")).isEqualTo(new Requirement.Public());
        assertThat(rules.of(Handlers.class, method("undeclared"), "/sign-in")).isEqualTo(new Requirement.ChainOnly());
        assertThat(rules.of(String.class, String.class.getMethod("length"), "/api/v1/metrics"))
                .isEqualTo(new Requirement.Needs(Permission.METRICS_READ, false));
        assertThat(rules.of(String.class, String.class.getMethod("length"), "/api/v1/other")).isEqualTo(new Requirement.ChainOnly());
    }

    @Test
    void undeclaredServerEndpointIsRefusedEvenForEveryRole() throws Exception {
        authenticate(Role.values());
        assertThatThrownBy(() -> preHandle("undeclared", "/api/v1/things"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
    }

    @Test
    void declaredPermissionIsCheckedAgainstTheMatrix() throws Exception {
        authenticate(Role.AUDITOR);
        assertThat(preHandle("declared", "/api/v1/audit")).isTrue();
        authenticate(Role.PLATFORM_ADMIN);
        assertThatThrownBy(() -> preHandle("declared", "/api/v1/audit"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN);
                    assertThat(e.properties()).containsEntry("permission", "audit.read");
                });
    }

    @Test
    void operatorsOnlySelfServiceAdmitsOperatorsButNeverAnApiKey() throws Exception {
        assertThat(rules.of(Handlers.class, method("ownAccount"), "/api/v1/auth/session")).isEqualTo(new Requirement.Operator(Requirement.StepUpRule.NEVER));
        authenticate();
        assertThat(preHandle("ownAccount", "/api/v1/auth/session")).isTrue();
        SecurityContextHolder.getContext().setAuthentication(new ApiKeyAuthentication(new dev.capsule.server.access.Caller.Machine(
                "0123456789abcdef", "host", java.util.Set.of(Permission.METRICS_READ))));
        assertThat(preHandle("self", "/api/v1/me")).isTrue();
        assertThatThrownBy(() -> preHandle("ownAccount", "/api/v1/auth/session"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
        SecurityContextHolder.clearContext();
        assertThatThrownBy(() -> preHandle("ownAccount", "/api/v1/auth/session"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHENTICATED));
    }

    @Test
    void anonymousCallerOfAProtectedEndpointIsUnauthenticated() {
        assertThatThrownBy(() -> preHandle("self", "/api/v1/me"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHENTICATED));
    }

    @Test
    void authoritiesThatAreNotRolesGrantNothing() throws Exception {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("mallory", null,
                List.of(new SimpleGrantedAuthority("audit.read"), new SimpleGrantedAuthority("ROLE_ADMIN"),
                        new SimpleGrantedAuthority("PERM_audit.read"))));
        assertThatThrownBy(() -> preHandle("declared", "/api/v1/audit")).isInstanceOf(ProblemException.class);
    }

    @Test
    void aStepUpEndpointIsRefusedWhenNoStepUpCheckIsInstalled() {
        authenticate(Role.AUDITOR);
        assertThatThrownBy(() -> preHandle("sensitive", "/api/v1/audit/entries/{index}/reveal"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(AccessProblems.STEP_UP_REQUIRED);
                    assertThat(e.type().status().value()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("GET /api/v1/audit/entries/{index}/reveal", "cannot check");
                });
        assertThatThrownBy(() -> preHandle("ownSensitive", "/api/v1/auth/recovery-codes"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(AccessProblems.STEP_UP_REQUIRED));
    }

    @Test
    void aStepUpEndpointAsksTheInstalledCheckAfterThePermission() throws Exception {
        boolean[] recent = {false};
        stepUpChecks.registerSingleton("check", (StepUpCheck) caller -> recent[0]);
        authenticate(Role.AUDITOR);
        assertThatThrownBy(() -> preHandle("sensitive", "/api/v1/reveal"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(AccessProblems.STEP_UP_REQUIRED));
        recent[0] = true;
        assertThat(preHandle("sensitive", "/api/v1/reveal")).isTrue();
        assertThat(preHandle("declared", "/api/v1/audit")).as("no step-up declared: the check is not asked").isTrue();
        authenticate(Role.DEVELOPER);
        assertThatThrownBy(() -> preHandle("sensitive", "/api/v1/reveal")).as("the permission is checked first")
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
    }

    private boolean preHandle(String method, String pattern) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", pattern);
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
        return new PermissionInterceptor(rules, new StepUpGate(stepUpChecks.getBeanProvider(StepUpCheck.class))).preHandle(request, new MockHttpServletResponse(),
                new HandlerMethod(new Handlers(), method(method)));
    }

    private static void authenticate(Role... roles) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("ann", null,
                java.util.Arrays.stream(roles).map(role -> new SimpleGrantedAuthority(role.authority())).toList()));
    }

    private static java.lang.reflect.Method method(String name) throws NoSuchMethodException {
        return Handlers.class.getMethod(name);
    }

    private static EndpointRules rules(List<String> publicPaths) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("contribution", new SecurityContribution() {
            @Override
            public List<String> publicPaths() {
                return publicPaths;
            }
        });
        return new EndpointRules(beans.getBeanProvider(SecurityContribution.class));
    }
}
