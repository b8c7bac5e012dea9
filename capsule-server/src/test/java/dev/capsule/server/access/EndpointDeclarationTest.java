package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.internal.EndpointCatalog;
import dev.capsule.server.access.internal.EndpointCatalog.Endpoint;
import dev.capsule.server.access.internal.Requirement;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "Enforced on every endpoint", mechanically: every request handler the running server maps (all
 * handler mappings, controllers and actuator alike) under {@code /api/} declares what it needs.
 */
@CapsuleServerTest
class EndpointDeclarationTest {
    @Autowired
    EndpointCatalog catalog;

    @Test
    void everyApiEndpointDeclaresItsPermissionOrIsPublic() {
        List<Endpoint> endpoints = catalog.endpoints();
        assertThat(endpoints).hasSizeGreaterThan(5);
        List<String> undeclared = endpoints.stream()
                .filter(endpoint -> endpoint.requirement() instanceof Requirement.Undeclared)
                .map(endpoint -> endpoint.method() + " " + endpoint.pattern() + " (" + endpoint.handler() + ")")
                .toList();
        assertThat(undeclared).as("server endpoints without @RequiresPermission or @SelfService, not under a public path")
                .isEmpty();
    }

    @Test
    void onlyTestFixturesAndNonApiPathsEscapeThePermissionModel() {
        List<String> escaping = catalog.endpoints().stream()
                .filter(endpoint -> endpoint.requirement() instanceof Requirement.ChainOnly)
                .filter(endpoint -> endpoint.pattern().startsWith("/api/"))
                .filter(endpoint -> !endpoint.handler().startsWith("dev.capsule.testing."))
                .map(endpoint -> endpoint.method() + " " + endpoint.pattern() + " (" + endpoint.handler() + ")")
                .toList();
        assertThat(escaping).as("API endpoints guarded by authentication only (add them to EndpointRules.PATH_PERMISSIONS "
                + "or annotate them)").isEmpty();
    }

    @Test
    void actuatorEndpointsAreCataloguedWithTheirPathRules() {
        assertThat(catalog.endpoints()).anySatisfy(endpoint -> {
            assertThat(endpoint.pattern()).isEqualTo("/api/v1/metrics");
            assertThat(endpoint.requirement()).isEqualTo(new Requirement.Needs(Permission.METRICS_READ, false));
        });
        assertThat(catalog.endpoints()).anySatisfy(endpoint -> {
            assertThat(endpoint.pattern()).isEqualTo("/api/v1/health");
            assertThat(endpoint.requirement()).isEqualTo(new Requirement.Public());
        });
    }
}
