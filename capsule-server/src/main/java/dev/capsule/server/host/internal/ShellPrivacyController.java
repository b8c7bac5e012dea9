package dev.capsule.server.host.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.IdentityAssertion;
import dev.capsule.server.privacy.PrivacyExport;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequestId;
import dev.capsule.server.privacy.PrivacyRequests;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A user's own data-subject requests in the shell (Settings → Your data): ask for an export or an erasure, confirm
 * one an operator filed for them, and read or download a finished export. Being signed in to the shell is the host's
 * assertion of who they are ({@link IdentityAssertion}).
 *
 * <p>Security guarantees: every POST goes through {@link ShellForms} (same origin, the session's CSRF token); an
 * erasure needs an explicit confirmation field, and signs the user out; an export is found only under the signed-in
 * user ({@link PrivacyRequests}), rendered from parsed values through {@code th:text}, and downloaded as an attachment
 * ({@code nosniff} is the server's default), never inline markup.
 */
@Controller
class ShellPrivacyController {
    private final PrivacyRequests requests;

    ShellPrivacyController(PrivacyRequests requests) {
        this.requests = requests;
    }

    /** The person a shell principal is. */
    static DataSubject subject(ShellPrincipal principal) {
        return new DataSubject(principal.user().value());
    }

    private static IdentityAssertion assertion(ShellPrincipal principal) {
        return new IdentityAssertion(principal.demo() ? IdentityAssertion.Source.DEMO_USER : IdentityAssertion.Source.SESSION_GRANT,
                Instant.now());
    }

    @PostMapping(ShellPaths.PRIVACY_REQUESTS)
    String file(@RequestParam(name = "kind", required = false) String kind,
            @RequestParam(name = "confirm", required = false) String confirm, HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        PrivacyRequest.RequestKind asked = switch (kind == null ? "" : kind) {
            case "export" -> PrivacyRequest.RequestKind.EXPORT;
            case "erasure" -> PrivacyRequest.RequestKind.ERASURE;
            default -> throw new ProblemException(ProblemType.VALIDATION, "kind must be export or erasure");
        };
        if (asked == PrivacyRequest.RequestKind.ERASURE && !"erase".equals(confirm)) {
            throw new ProblemException(ProblemType.VALIDATION, "to delete your data, tick the box that says you understand");
        }
        return after(requests.file(subject(session.principal()), asked, assertion(session.principal())));
    }

    @PostMapping(ShellPaths.PRIVACY_REQUESTS + "/{id}/confirm")
    String confirm(@PathVariable("id") String id, HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        return after(requests.confirm(id(id), subject(session.principal()), assertion(session.principal()))
                .orElseThrow(ShellPrivacyController::notFound));
    }

    /** A done erasure signed the user out; anything else goes back to the settings page. */
    private static String after(PrivacyRequest request) {
        return request.kind() == PrivacyRequest.RequestKind.ERASURE && request.state() == PrivacyRequest.RequestState.DONE
                ? "redirect:" + ShellPaths.SIGNED_OUT : "redirect:" + ShellPaths.SETTINGS + "#your-data";
    }

    @GetMapping(ShellPaths.PRIVACY_REQUESTS + "/{id}/export")
    String exportPage(@PathVariable("id") String id, HttpServletRequest request, Model model) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        PrivacyExport export = requests.export(id(id), subject(session.principal())).orElseThrow(ShellPrivacyController::notFound);
        model.addAttribute("export", export);
        model.addAttribute("csrf", session.csrfToken());
        return "shell/export";
    }

    @GetMapping(ShellPaths.PRIVACY_REQUESTS + "/{id}/export.json")
    ResponseEntity<byte[]> exportJson(@PathVariable("id") String id, HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        PrivacyExport export = requests.export(id(id), subject(session.principal())).orElseThrow(ShellPrivacyController::notFound);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("capsule-export-" + id + ".json").build().toString())
                .body(export.json());
    }

    private static PrivacyRequestId id(String text) {
        return PrivacyRequestId.parse(text).orElseThrow(ShellPrivacyController::notFound);
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "You have no such request, or its export is no longer kept.");
    }
}
