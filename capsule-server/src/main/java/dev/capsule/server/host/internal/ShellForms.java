package dev.capsule.server.host.internal;

import dev.capsule.server.platform.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The shell's CSRF defence for its forms: the browser's {@code Origin} header must be this server's own origin
 * (absent counts as foreign), and a form posted in a session must carry the session's CSRF token ({@code shellCsrf}).
 *
 * <p>Security guarantees: a refusal is a 403 problem ({@code origin-mismatch}, {@code shell-csrf-token-invalid}),
 * which the access module audits as a denial; tokens are compared in constant time.
 */
final class ShellForms {
    /** Not {@code _csrf}: Spring Security's form processor owns that name (the console's token). */
    static final String CSRF_FIELD = "shellCsrf";
    /** The same token on a script's request (the shell page's {@code data-shell-csrf}). */
    static final String CSRF_HEADER = "X-Shell-Csrf";

    private ShellForms() {
    }

    static void requireSameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        String own = ServletUriComponentsBuilder.fromContextPath(request).replacePath(null).replaceQuery(null).build().toUriString();
        if (origin == null || !origin.equals(own)) {
            throw new ProblemException(HostProblems.ORIGIN_MISMATCH, "this form is accepted only from this server's own pages");
        }
    }

    /** The session of a signed-in form, after checking its origin and CSRF token. */
    static ShellSignIn.ShellSession requireSessionForm(HttpServletRequest request) {
        return requireSession(request, request.getParameter(CSRF_FIELD));
    }

    /**
     * The session of a signed-in script request ({@code fetch} from the shell page, e.g. the card endpoint), after
     * checking its origin and the CSRF token in the header {@value #CSRF_HEADER} (the body is the request's own JSON).
     */
    static ShellSignIn.ShellSession requireSessionRequest(HttpServletRequest request) {
        return requireSession(request, request.getHeader(CSRF_HEADER));
    }

    private static ShellSignIn.ShellSession requireSession(HttpServletRequest request, String token) {
        requireSameOrigin(request);
        Object session = request.getAttribute(ShellSessionFilter.SESSION_ATTRIBUTE);
        if (!(session instanceof ShellSignIn.ShellSession shell) || token == null
                || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), shell.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(HostProblems.SHELL_CSRF_INVALID, "this form needs the CSRF token of the page it came from; reload the page");
        }
        return shell;
    }

    /** The session the shell filter found for this request (the rules let only signed-in requests reach callers). */
    static ShellSignIn.ShellSession session(HttpServletRequest request) {
        if (request.getAttribute(ShellSessionFilter.SESSION_ATTRIBUTE) instanceof ShellSignIn.ShellSession shell) {
            return shell;
        }
        throw new IllegalStateException("a shell page was reached without a shell session");
    }
}
