package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.OperatorProblems;
import dev.capsule.server.identity.SignedInOperator;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates requests that carry an operator session, from the database on every request (roles,
 * disabled flag and onboarding state apply at once), and keeps onboarding operators to onboarding.
 *
 * <p>Security guarantees: a session whose operator is gone, disabled, or has MFA enrolled while the
 * session never passed a second factor is ended; while the password must change or no MFA is
 * enrolled, the session holds no role and every path except the onboarding ones answers 403
 * {@code onboarding-required} (pages redirect to the next onboarding step); a browser without a
 * session that asks for a console page is sent to the sign-in page.
 */
final class OperatorSessionFilter extends OncePerRequestFilter {
    /** What an onboarding session may reach (exact paths; anything else is refused). */
    static final Set<String> ONBOARDING_PATHS = Set.of(
            "/api/v1/auth/session", "/api/v1/auth/password", "/api/v1/auth/mfa/totp/enrolment",
            "/api/v1/auth/mfa/totp/enrolment/confirmation", "/api/v1/auth/sign-in", "/api/v1/auth/sign-out",
            "/api/v1/auth/sign-out-everywhere",
            ConsolePaths.SIGN_IN, ConsolePaths.PASSWORD, ConsolePaths.MFA, ConsolePaths.SIGN_OUT,
            ConsolePaths.SIGN_OUT_EVERYWHERE, ConsolePaths.STYLESHEET);

    private final OperatorSessions sessions;
    private final OperatorStore store;
    private final JsonMapper json;

    private final SecurityContextRepository contexts;

    OperatorSessionFilter(OperatorSessions sessions, OperatorStore store, JsonMapper json, SecurityContextRepository contexts) {
        this.contexts = contexts;
        this.sessions = sessions;
        this.store = store;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Optional<OperatorSessions.Active> active = sessions.active(request);
        Optional<Operator> operator = active.flatMap(session -> store.findById(session.operatorId()));
        if (active.isPresent() && (operator.isEmpty() || operator.get().disabled()
                || (operator.get().mfaEnrolled() && active.get().mfaAt().isEmpty()))) {
            sessions.signOut(request);
            active = Optional.empty();
        }
        if (active.isEmpty()) {
            if (ConsolePaths.isPage(path) && !ConsolePaths.PUBLIC.contains(path) && "GET".equals(request.getMethod())) {
                response.sendRedirect(ConsolePaths.SIGN_IN);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        Operator signedIn = operator.get();
        boolean onboarding = signedIn.onboardingRequired();
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (onboarding) {
            authorities.add(new SimpleGrantedAuthority(OperatorAuthentication.ONBOARDING));
        } else {
            authorities.add(new SimpleGrantedAuthority(OperatorAuthentication.SIGNED_IN));
            signedIn.roles().stream().map(Role::authority).map(SimpleGrantedAuthority::new).forEach(authorities::add);
        }
        var principal = new SignedInOperator(signedIn.id(), signedIn.username(), onboarding ? Set.of() : signedIn.roles());
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new OperatorAuthentication(principal, active.get(), authorities));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        if (onboarding && !ONBOARDING_PATHS.contains(path)) {
            if (ConsolePaths.isPage(path) && "GET".equals(request.getMethod())) {
                response.sendRedirect(signedIn.mustChangePassword() ? ConsolePaths.PASSWORD : ConsolePaths.MFA);
            } else {
                writeProblem(request, response, OperatorProblems.ONBOARDING_REQUIRED, signedIn.mustChangePassword()
                        ? "change the one-time password first: POST /api/v1/auth/password"
                        : "enrol an authenticator first: POST /api/v1/auth/mfa/totp/enrolment");
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri().toString());
        body.put("title", type.title());
        body.put("status", type.status().value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI().replaceAll("[^A-Za-z0-9/._~%-]", ""));
        request.setAttribute(ProblemType.REQUEST_ATTRIBUTE, type); // why, for the access module's denial audit
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
