package dev.capsule.server.access;

import static dev.capsule.server.access.AccessHttp.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.internal.EndpointCatalog;
import dev.capsule.server.access.internal.EndpointCatalog.Endpoint;
import dev.capsule.server.access.internal.Requirement;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Walks every API endpoint the running server maps × every kind of caller (anonymous, each role, an
 * operator without roles, API keys of two scopes), calls it over HTTPS, and compares allowed and
 * refused with the matrix in {@link Permission}. Endpoints added by any module are walked as soon as
 * they exist.
 */
@CapsuleServerTest
class RbacWalkerTest {
    @Autowired
    TestHttps https;
    @Autowired
    EndpointCatalog catalog;

    /** One caller: its headers and what the matrix says it holds (null: anonymous). */
    record Walker(String name, String[] headers, Set<Permission> holds) {
    }

    @Test
    void everyEndpointAllowsExactlyTheCallersTheMatrixAllows() {
        AccessHttp http = new AccessHttp(https);
        List<Walker> walkers = new ArrayList<>();
        walkers.add(new Walker("anonymous", new String[0], null));
        walkers.add(new Walker("operator without roles", operator("walker-none"), Set.of()));
        for (Role role : Role.values()) {
            walkers.add(new Walker(role.code(), operator("walker-" + role.code(), role), Permission.of(role)));
        }
        Set<Permission> everyMachinePermission = Permission.grantableToMachines();
        AccessHttp.Key broad = http.activeKey("walker broad", everyMachinePermission.stream().map(Permission::code).toList(), "");
        walkers.add(new Walker("API key with every machine permission", broad.bearer(), everyMachinePermission));
        AccessHttp.Key narrow = http.activeKey("walker narrow", List.of(Permission.METRICS_READ.code()), "");
        walkers.add(new Walker("API key with metrics.read", narrow.bearer(), EnumSet.of(Permission.METRICS_READ)));

        List<Endpoint> endpoints = catalog.endpoints().stream()
                .filter(endpoint -> endpoint.pattern().startsWith("/api/"))
                .filter(endpoint -> !(endpoint.requirement() instanceof Requirement.ChainOnly))
                .toList();
        assertThat(endpoints).extracting(Endpoint::pattern)
                .contains("/api/v1/api-keys", "/api/v1/access/me", "/api/v1/metrics", "/api/v1/health");

        List<String> mismatches = new ArrayList<>();
        int calls = 0;
        for (Endpoint endpoint : endpoints) {
            String path = endpoint.pattern().replaceAll("\\{[^}]+}", "0000000000000000").replace("/**", "/x");
            for (Walker walker : walkers) {
                HttpResponse<String> response = http.send(endpoint.method(), path, walker.headers());
                calls++;
                String outcome = outcome(response);
                String expected = expected(endpoint.requirement(), walker);
                if (!outcome.equals(expected)) {
                    mismatches.add(endpoint.method() + " " + endpoint.pattern() + " as " + walker.name() + ": expected "
                            + expected + ", got " + response.statusCode() + " " + response.body());
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
