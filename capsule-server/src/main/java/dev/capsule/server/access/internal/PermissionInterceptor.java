package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.StepUp;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Enforces each server endpoint's declared {@link Requirement} once Spring MVC has chosen the handler
 * and before it reads any argument (so a forbidden caller never gets its body parsed).
 *
 * <p>Security guarantees: fail closed: a server endpoint under {@code /api/} that declares nothing
 * is refused for every caller; anonymous callers get 401, callers without the permission 403
 * {@code forbidden} naming the permission, API keys calling an operators-only endpoint 403, and a step-up
 * endpoint's caller without a recent second factor 403 {@code step-up-required} (through {@link StepUp},
 * the one step-up component, which refuses when no check is installed).
 */
final class PermissionInterceptor implements HandlerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(PermissionInterceptor.class);

    private final EndpointRules rules;
    private final StepUp stepUp;
    private final Map<Key, Requirement> requirements = new ConcurrentHashMap<>();

    PermissionInterceptor(EndpointRules rules, StepUp stepUp) {
        this.rules = rules;
        this.stepUp = stepUp;
    }

    /** One per handler method and mapped pattern: bounded by the code, not by requests. */
    private record Key(Class<?> beanType, java.lang.reflect.Method method, String pattern) {
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Object matched = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Requirement requirement = matched == null
                // Every request mapping sets the pattern; without one, decide by the path, uncached.
                ? rules.of(method.getBeanType(), method.getMethod(), request.getRequestURI())
                : requirements.computeIfAbsent(new Key(method.getBeanType(), method.getMethod(), matched.toString()),
                        key -> rules.of(key.beanType(), key.method(), key.pattern()));
        switch (requirement) {
            case Requirement.Public p -> {
            }
            case Requirement.ChainOnly c -> {
            }
            case Requirement.Authenticated a -> Caller.current();
            case Requirement.Operator o -> {
                if (!(Caller.current() instanceof Caller.Operator)) {
                    throw new ProblemException(ProblemType.FORBIDDEN, "only an operator in a session may do this, never an API key");
                }
                if (o.stepUp().always()) {
                    stepUp.require(action(request, matched));
                }
            }
            case Requirement.Needs needs -> {
                request.setAttribute(DenialFilter.PERMISSION_ATTRIBUTE, needs.permission());
                Caller caller = Caller.current();
                if (!caller.holds(needs.permission())) {
                    throw new ProblemException(ProblemType.FORBIDDEN, "this needs the permission '"
                            + needs.permission().code() + "'", Map.of("permission", needs.permission().code()));
                }
                if (needs.stepUp()) {
                    stepUp.require(action(request, matched));
                }
            }
            case Requirement.Undeclared u -> {
                log.error("{} declares no permission; it is refused until it does (@RequiresPermission or @SelfService)",
                        method.getShortLogMessage());
                throw new ProblemException(ProblemType.FORBIDDEN, "this endpoint is not open to anyone yet");
            }
        }
        return true;
    }

    /** "POST /api/v1/api-keys": the endpoint by its pattern (never the raw path, which the client chose). */
    private static String action(HttpServletRequest request, Object matched) {
        return request.getMethod() + " " + (matched == null ? "this endpoint" : matched.toString());
    }
}
