package dev.capsule.server.access.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.access.SelfService;
import dev.capsule.server.platform.SecurityContribution;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;

/**
 * Decides the {@link Requirement} of an endpoint from its declaration: the annotation on a server
 * handler method, a public path, or, for endpoints that are not controller methods (the actuator's),
 * {@link #PATH_PERMISSIONS}.
 */
@Component
public class EndpointRules {
    /** The platform's public paths (platform.internal.SecurityConfiguration.PUBLIC_PATHS; the walker test checks them). */
    static final List<String> PLATFORM_PUBLIC_PATHS = List.of("/api/v1/health", "/api/v1/health/**", "/api/openapi.json");
    /** Endpoints that are not the server's controller methods, guarded by path in the security chain. */
    static final Map<String, Permission> PATH_PERMISSIONS = Map.of(
            "/api/v1/metrics", Permission.METRICS_READ,
            // The actuator's index of its endpoints.
            "/api/v1", Permission.METRICS_READ);
    /** Endpoints that are not the server's controller methods, open to any authenticated caller. */
    static final List<String> AUTHENTICATED_PATHS = List.of(
            // springdoc's YAML twin of the public /api/openapi.json; the platform leaves it behind authentication.
            "/api/openapi.json.yaml");
    static final String SERVER_PACKAGE = "dev.capsule.server.";

    private final ObjectProvider<SecurityContribution> contributions;
    private final AntPathMatcher paths = new AntPathMatcher();
    private volatile List<String> publicPaths;

    EndpointRules(ObjectProvider<SecurityContribution> contributions) {
        this.contributions = contributions;
    }

    /** The requirement of the handler {@code method} of {@code beanType}, mapped at {@code pattern}. */
    public Requirement of(Class<?> beanType, Method method, String pattern) {
        if (!beanType.getName().startsWith(SERVER_PACKAGE)) {
            return foreign(pattern);
        }
        RequiresPermission requires = method.getAnnotation(RequiresPermission.class);
        if (requires != null) {
            return new Requirement.Needs(requires.value(), requires.stepUp());
        }
        SelfService self = method.getAnnotation(SelfService.class);
        if (self != null) {
            if (self.stepUp() || !self.stepUpWhen().isEmpty()) {
                return new Requirement.Operator(new Requirement.StepUpRule(self.stepUp(), self.stepUpWhen()));
            }
            return self.operatorsOnly() ? new Requirement.Operator(Requirement.StepUpRule.NEVER) : new Requirement.Authenticated();
        }
        if (isPublic(pattern)) {
            return new Requirement.Public();
        }
        if (!pattern.startsWith("/api/")) {
            return new Requirement.ChainOnly();
        }
        return new Requirement.Undeclared();
    }

    /** The requirement of an endpoint that is not a server controller method (an actuator endpoint). */
    public Requirement foreign(String pattern) {
        Permission permission = PATH_PERMISSIONS.get(pattern);
        if (permission != null) {
            return new Requirement.Needs(permission, false);
        }
        if (AUTHENTICATED_PATHS.contains(pattern)) {
            return new Requirement.Authenticated();
        }
        return isPublic(pattern) ? new Requirement.Public() : new Requirement.ChainOnly();
    }

    boolean isPublic(String pattern) {
        for (String publicPath : publicPaths()) {
            if (paths.match(publicPath, pattern)) {
                return true;
            }
        }
        return false;
    }

    private List<String> publicPaths() {
        List<String> known = publicPaths;
        if (known == null) {
            List<String> all = new ArrayList<>(PLATFORM_PUBLIC_PATHS);
            contributions.orderedStream().forEach(contribution -> all.addAll(contribution.publicPaths()));
            known = List.copyOf(all);
            publicPaths = known;
        }
        return known;
    }
}
