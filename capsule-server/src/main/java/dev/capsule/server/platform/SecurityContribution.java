package dev.capsule.server.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * How a module takes part in the server's one Spring Security filter chain, which the platform owns.
 * Implement it as a bean; contributions are applied in {@code @Order} order.
 *
 * <p>The chain the platform builds: HTTP requests are redirected to HTTPS; security headers on every
 * response; request bodies limited; no sessions, no CSRF tokens, no form or basic login; then, in
 * this order, the platform's public paths ({@code /api/v1/health}, {@code /api/openapi.json}, error
 * dispatches), every contribution's {@link #publicPaths()}, every contribution's
 * {@link #authorize(AuthorizeHttpRequestsConfigurer.AuthorizationManagerRequestMatcherRegistry)},
 * and finally "every other request must be authenticated". Authentication failures answer 401 and
 * authorization failures 403, both as problem+json.
 *
 * <p>Security guarantees the platform keeps whatever the contributions add: a path that no
 * contribution names requires authentication; a contribution cannot remove the security headers or
 * the HTTPS redirect (they are configured before and outside its hooks). What it must do itself: a
 * module that authenticates with a cookie (a browser session) must turn CSRF protection back on for
 * its paths in {@link #configure(HttpSecurity)}, and one that keeps server-side sessions must keep
 * them in the shared database (several server nodes share one PostgreSQL and nothing else).
 */
public interface SecurityContribution {

    /** Ant-style paths anyone may call without authentication, e.g. the sign-in endpoint. */
    default List<String> publicPaths() {
        return List.of();
    }

    /** Authorization rules for the module's own paths (roles, authorities), applied before the catch-all. */
    default void authorize(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
    }

    /** Authentication mechanisms: filters, providers, session handling. Called after the platform's setup. */
    default void configure(HttpSecurity http) throws Exception {
    }

    /**
     * A Content-Security-Policy of the module's own pages for this request (the host's shell), or empty to keep the
     * platform's. The platform takes the first contribution's answer and keeps its own policy instead when that
     * answer allows {@code unsafe-} sources or lacks {@code object-src 'none'}, {@code base-uri 'none'},
     * {@code frame-ancestors} or a {@code report-uri} (fail closed: the stricter platform policy applies).
     */
    default Optional<String> contentSecurityPolicy(HttpServletRequest request) {
        return Optional.empty();
    }
}
