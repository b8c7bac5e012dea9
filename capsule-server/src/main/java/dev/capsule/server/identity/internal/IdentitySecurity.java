package dev.capsule.server.identity.internal;

import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.SecurityContribution;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The identity module's part of the security chain: operator sessions (Spring Session JDBC), CSRF
 * protection, the onboarding gate, and the identity endpoints that are public (the sign-in steps).
 *
 * <p>CSRF rule: a state-changing request needs a valid token (header {@value #CSRF_HEADER} or form field
 * {@code _csrf}) when it carries the session cookie, and every form post to the console needs one (so a
 * cross-site page cannot sign a browser in to another account). Requests without the cookie elsewhere
 * (the JSON sign-in call, API-key clients) need none: there is no ambient credential to abuse, and the
 * JSON endpoints accept only {@code application/json}, which a browser sends cross-site only after a
 * CORS preflight that the server does not grant.
 */
@Component
class IdentitySecurity implements SecurityContribution {
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_COOKIE = "__Host-capsule-session";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final OperatorSessions sessions;
    private final OperatorStore store;
    private final HttpSessionCsrfTokenRepository csrfTokens;
    private final JsonMapper json;

    IdentitySecurity(OperatorSessions sessions, OperatorStore store, HttpSessionCsrfTokenRepository csrfTokens, JsonMapper json) {
        this.sessions = sessions;
        this.store = store;
        this.csrfTokens = csrfTokens;
        this.json = json;
    }

    @Override
    public List<String> publicPaths() {
        return List.of("/api/v1/auth/sign-in", "/api/v1/auth/second-factor/**",
                ConsolePaths.SIGN_IN, ConsolePaths.SECOND_FACTOR, ConsolePaths.RECOVERY, ConsolePaths.STYLESHEET);
    }

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        // Operator administration is guarded by the access module's permissions on each endpoint (operators.read,
        // operators.manage, roles.assign); step-up and recovery codes need a finished onboarding as well.
        rules.requestMatchers("/api/v1/auth/step-up", "/api/v1/auth/recovery-codes").hasAuthority(OperatorAuthentication.SIGNED_IN);
    }

    @Override
    public void configure(HttpSecurity http) throws Exception {
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED));
        // The operator filter rebuilds the authentication from the database on every request and records it
        // only for the request, so nothing stores it and Spring's session strategies (which would rotate the
        // id and the CSRF token on every request) see it as already known; this module rotates ids itself.
        RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        http.securityContext(context -> context.securityContextRepository(contexts));
        http.csrf(csrf -> csrf
                .csrfTokenRepository(csrfTokens)
                .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                .requireCsrfProtectionMatcher(csrfRequired())
                .withObjectPostProcessor(new ObjectPostProcessor<CsrfFilter>() {
                    @Override
                    public <O extends CsrfFilter> O postProcess(O filter) {
                        filter.setAccessDeniedHandler((request, response, denied) -> {
                            request.setAttribute(ProblemType.REQUEST_ATTRIBUTE, OperatorProblems.CSRF_TOKEN_INVALID);
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("type", OperatorProblems.CSRF_TOKEN_INVALID.uri().toString());
                            body.put("title", OperatorProblems.CSRF_TOKEN_INVALID.title());
                            body.put("status", 403);
                            body.put("detail", "state-changing requests in a session need the CSRF token in the "
                                    + CSRF_HEADER + " header (GET /api/v1/auth/session) or the form's _csrf field");
                            response.setStatus(403);
                            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                            response.setCharacterEncoding("UTF-8");
                            writeBody(response, body);
                        });
                        return filter;
                    }
                }));
        http.addFilterBefore(new OperatorSessionFilter(sessions, store, json, contexts), AnonymousAuthenticationFilter.class);
    }

    private void writeBody(jakarta.servlet.http.HttpServletResponse response, Map<String, Object> body) throws IOException {
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    static RequestMatcher csrfRequired() {
        return request -> !SAFE_METHODS.contains(request.getMethod())
                && (hasSessionCookie(request) || ConsolePaths.isPage(request.getRequestURI()));
    }

    private static boolean hasSessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return false;
        }
        for (Cookie cookie : cookies) {
            if (SESSION_COOKIE.equals(cookie.getName())) {
                return true;
            }
        }
        return false;
    }
}
