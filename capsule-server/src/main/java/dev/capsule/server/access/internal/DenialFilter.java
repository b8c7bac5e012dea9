package dev.capsule.server.access.internal;

import dev.capsule.server.access.AccessDenied;
import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Publishes an {@link AccessDenied} for every request the server answers with 403, whoever wrote the
 * 403 (the permission interceptor, the step-up component, separation of duties, a module's service, the
 * security chain's rules, the CSRF filter). It sits just inside Spring Security's context filter, so it
 * sees every response of the chain, and publishes after the response is decided: outside the request's
 * transactions, so a denial in a transaction that rolled back is still recorded.
 *
 * <p>Security guarantees: what is recorded is the endpoint's path pattern (never the raw path, which
 * may hold a name a client typed; when no handler was chosen, only the path's first
 * {@value #PATH_SEGMENTS_KEPT} segments), the problem type's slug, the declared permission, and the
 * caller as an operator id or an API key id; a failure to record is logged and does not turn the 403
 * into anything else.
 */
final class DenialFilter extends OncePerRequestFilter {
    /** Where the permission interceptor leaves the permission an endpoint declares. */
    static final String PERMISSION_ATTRIBUTE = DenialFilter.class.getName() + ".permission";
    /** Path segments kept for a denial before any handler was chosen ("/api/v1/operators"). */
    static final int PATH_SEGMENTS_KEPT = 3;
    private static final Logger log = LoggerFactory.getLogger(DenialFilter.class);

    private final ApplicationEventPublisher events;

    DenialFilter(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (response.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
                publish(request);
            }
        }
    }

    private void publish(HttpServletRequest request) {
        try {
            Optional<Caller> caller = Caller.of(SecurityContextHolder.getContext().getAuthentication());
            OperatorId operator = caller.flatMap(c -> c instanceof Caller.Operator o ? o.operatorId() : Optional.empty()).orElse(null);
            String apiKey = caller.map(c -> c instanceof Caller.Machine m ? m.keyId() : null).orElse(null);
            Object type = request.getAttribute(ProblemType.REQUEST_ATTRIBUTE);
            String reason = type instanceof ProblemType problem ? problem.slug() : ProblemType.FORBIDDEN.slug();
            Object permission = request.getAttribute(PERMISSION_ATTRIBUTE);
            events.publishEvent(new AccessDenied(operator, apiKey, reason, action(request),
                    permission instanceof Permission p ? p : null, request.getRemoteAddr()));
        } catch (RuntimeException e) {
            log.error("a 403 for {} could not be recorded in the audit log: {}", action(request), e.getMessage());
        }
    }

    /** "POST /api/v1/api-keys/{keyId}/approve": the method and the pattern, or a coarse path when no handler was chosen. */
    static String action(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String path = pattern != null ? pattern.toString() : coarse(request.getRequestURI());
        String action = printable(request.getMethod()) + " " + printable(path);
        return action.length() > AccessDenied.ACTION_CHARS_MAX ? action.substring(0, AccessDenied.ACTION_CHARS_MAX) : action;
    }

    private static String coarse(String uri) {
        String[] segments = (uri == null ? "" : uri).split("/", -1);
        StringBuilder kept = new StringBuilder();
        for (int i = 1; i < segments.length && i <= PATH_SEGMENTS_KEPT; i++) {
            kept.append('/').append(segments[i]);
        }
        if (segments.length > PATH_SEGMENTS_KEPT + 1) {
            kept.append("/...");
        }
        return kept.isEmpty() ? "/" : kept.toString();
    }

    private static String printable(String text) {
        return text == null || text.isEmpty() ? "?" : text.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
