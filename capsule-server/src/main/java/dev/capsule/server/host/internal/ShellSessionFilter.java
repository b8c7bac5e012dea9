package dev.capsule.server.host.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /shell/**} and {@code /dev/**} requests by the shell session cookie, from the database on
 * every request, as a {@link ShellAuthentication}; and sends a browser without a session that asks for a shell page
 * to the demo users (when they are on) or to the signed-out page.
 *
 * <p>Security guarantees: on these paths the authentication is the shell session's or none: an operator's session
 * authentication (another cookie) is removed, so it reaches no shell page; elsewhere the filter does nothing, so a
 * shell cookie authenticates nothing outside them. The session and its CSRF token are left on the request for the
 * shell's controllers ({@link #SESSION_ATTRIBUTE}).
 */
final class ShellSessionFilter extends OncePerRequestFilter {
    /** The request attribute holding the request's {@link ShellSignIn.ShellSession}. */
    static final String SESSION_ATTRIBUTE = ShellSessionFilter.class.getName() + ".session";

    private final ShellSignIn signIn;
    private final HostSettings settings;
    private final SecurityContextRepository contexts;

    ShellSessionFilter(ShellSignIn signIn, HostSettings settings, SecurityContextRepository contexts) {
        this.signIn = signIn;
        this.settings = settings;
        this.contexts = contexts;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ShellPaths.authenticated(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ShellSignIn.ShellSession> session = ShellCookie.token(request).flatMap(signIn::session);
        var existing = SecurityContextHolder.getContext().getAuthentication();
        var context = SecurityContextHolder.createEmptyContext();
        if (session.isPresent()) {
            context.setAuthentication(new ShellAuthentication(session.get().principal()));
            request.setAttribute(SESSION_ATTRIBUTE, session.get());
        } else if (existing instanceof ShellAuthentication shell) {
            // Another shell mechanism already authenticated the request (the tests' stand-in for the cookie).
            context.setAuthentication(shell);
        }
        // Replaces whatever another mechanism put there: on shell paths only a shell authentication counts.
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        if (context.getAuthentication() == null && "GET".equals(request.getMethod()) && ShellPaths.isPage(request.getRequestURI())) {
            response.sendRedirect(settings.demoUsers() ? ShellPaths.DEMO : ShellPaths.SIGNED_OUT);
            return;
        }
        chain.doFilter(request, response);
    }
}
