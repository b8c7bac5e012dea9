package dev.capsule.server.access.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every request handler the running server maps (controllers and actuator endpoints alike), with
 * the requirement {@link EndpointRules} gives it: what the RBAC walker test and docs/rbac.md are
 * built from, so neither can miss an endpoint.
 */
@Component
public class EndpointCatalog {
    private final ApplicationContext context;
    private final EndpointRules rules;

    EndpointCatalog(ApplicationContext context, EndpointRules rules) {
        this.context = context;
        this.rules = rules;
    }

    /**
     * One mapped method and path.
     *
     * @param method  the HTTP method ("GET"; "GET" also for handlers that take any method)
     * @param pattern the path pattern, with {variables}
     * @param handler the handler's class and method ("dev.capsule.server.access.internal.ApiKeyController.create")
     */
    public record Endpoint(String method, String pattern, Requirement requirement, String handler) {
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().forEach((info, handler) -> add(endpoints, info, handler));
        }
        endpoints.sort(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
        return List.copyOf(endpoints);
    }

    private void add(List<Endpoint> endpoints, RequestMappingInfo info, HandlerMethod handler) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        for (String pattern : info.getPatternValues()) {
            Requirement requirement = rules.of(handler.getBeanType(), handler.getMethod(), pattern);
            String description = handler.getBeanType().getName() + "." + handler.getMethod().getName();
            if (methods.isEmpty()) {
                endpoints.add(new Endpoint("GET", pattern, requirement, description));
            } else {
                methods.forEach(method -> endpoints.add(new Endpoint(method.name(), pattern, requirement, description)));
            }
        }
    }
}
