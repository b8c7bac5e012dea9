package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.internal.EndpointCatalog;
import dev.capsule.server.access.internal.EndpointCatalog.Endpoint;
import dev.capsule.server.access.internal.Requirement;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Walks every API endpoint the running server maps × every kind of caller (anonymous, each role, an
 * operator without roles, API keys of two scopes), calls it over HTTPS, and compares allowed and
 * refused with the matrix in {@link Permission}. Endpoints added by any module are walked as soon as
 * they exist, the identity module's included. The operators are real: signed in through the identity
 * module with password and TOTP, their sessions carrying the cookie and CSRF token a browser would.
 */
@CapsuleServerTest
class RbacWalkerTest {
    /** Identity endpoints that end the caller's session; the walker signs in afresh after each. */
    private static final String SIGN_OUT = "/api/v1/auth/sign-out";

    @Autowired
    TestHttps https;
    @Autowired
    EndpointCatalog catalog;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    /**
     * One caller: its headers and what the matrix says it holds (null: anonymous); {@code roles} is
     * null for callers that are not operators.
     */
    record Walker(String name, String[] headers, Set<Permission> holds, Role[] roles) {
        boolean operator() {
            return roles != null;
        }
    }

    @Test
    void everyEndpointAllowsExactlyTheCallersTheMatrixAllows() {
        AccessHttp http = new AccessHttp(https, context);
        SignedInOperators operators = new SignedInOperators(context, https);
        List<Walker> walkers = new ArrayList<>();
        walkers.add(new Walker("anonymous", new String[0], null, null));
        walkers.add(new Walker("operator without roles", operators.signIn("walker-none").headers(), Set.of(), new Role[0]));
        for (Role role : Role.values()) {
            walkers.add(new Walker(role.code(), operators.signIn("walker-" + role.code(), role).headers(), Permission.of(role),
                    new Role[] {role}));
        }
        Set<Permission> everyMachinePermission = Permission.grantableToMachines();
        AccessHttp.Key broad = http.activeKey("walker broad", everyMachinePermission.stream().map(Permission::code).toList(), "");
        walkers.add(new Walker("API key with every machine permission", broad.bearer(), everyMachinePermission, null));
        AccessHttp.Key narrow = http.activeKey("walker narrow", List.of(Permission.METRICS_READ.code()), "");
        walkers.add(new Walker("API key with metrics.read", narrow.bearer(), EnumSet.of(Permission.METRICS_READ), null));

        List<Endpoint> endpoints = catalog.endpoints().stream()
                .filter(endpoint -> endpoint.pattern().startsWith("/api/"))
                .filter(endpoint -> !(endpoint.requirement() instanceof Requirement.ChainOnly))
                .toList();
        assertThat(endpoints).extracting(Endpoint::pattern)
                .contains("/api/v1/api-keys", "/api/v1/access/me", "/api/v1/metrics", "/api/v1/health",
                        "/api/v1/operators", "/api/v1/operators/{username}/roles", "/api/v1/auth/session", "/api/v1/auth/sign-in");

        List<String> mismatches = new ArrayList<>();
        int calls = 0;
        for (Endpoint endpoint : endpoints) {
            // The walk makes more requests from 127.0.0.1 than its rate bucket holds (endpoints × callers): refill it
            // (remove it; the next request creates it full), so the walk checks the matrix, not the limit.
            jdbc.sql("DELETE FROM rate_bucket WHERE bucket = 'ip:127.0.0.1'").update();
            String path = endpoint.pattern().replaceAll("\\{[^}]+}", "0000000000000000").replace("/**", "/x");
            for (int i = 0; i < walkers.size(); i++) {
                Walker walker = walkers.get(i);
                HttpResponse<String> response = http.send(endpoint.method(), path, walker.headers());
                calls++;
                String outcome = outcome(response);
                String expected = expected(endpoint.requirement(), walker);
                if (!outcome.equals(expected)) {
                    mismatches.add(endpoint.method() + " " + endpoint.pattern() + " as " + walker.name() + ": expected "
                            + expected + ", got " + response.statusCode() + " " + response.body());
                }
                if (walker.operator() && path.startsWith(SIGN_OUT) && response.statusCode() == 204) {
                    walkers.set(i, new Walker(walker.name(), operators.signIn("walker-again", walker.roles()).headers(),
                            walker.holds(), walker.roles()));
                }
            }
        }
        assertThat(mismatches).as("endpoint × caller mismatches with the matrix").isEmpty();
        assertThat(calls).isEqualTo(endpoints.size() * walkers.size());
    }

    private static String expected(Requirement requirement, Walker walker) {
        return switch (requirement) {
            case Requirement.Public p -> "allowed";
            case Requirement.Authenticated a -> walker.holds() == null ? "unauthenticated" : "allowed";
            case Requirement.Operator o -> walker.holds() == null ? "unauthenticated" : walker.operator() ? "allowed" : "forbidden";
            case Requirement.Needs needs -> walker.holds() == null ? "unauthenticated"
                    : walker.holds().contains(needs.permission()) ? "allowed" : "forbidden";
            case Requirement.Undeclared u -> "forbidden";
            case Requirement.ChainOnly c -> throw new AssertionError("not walked");
        };
    }

    /** 401 and 403 {@code forbidden} as problem+json are refusals; anything else means access was granted. */
    private static String outcome(HttpResponse<String> response) {
        if (response.statusCode() == 401) {
            AccessHttp.assertProblem(response, 401, "unauthenticated");
            return "unauthenticated";
        }
        if (response.statusCode() == 403 && AccessHttp.slug(response).equals("forbidden")) {
            AccessHttp.assertProblem(response, 403, "forbidden");
            return "forbidden";
        }
        return "allowed";
    }
}
