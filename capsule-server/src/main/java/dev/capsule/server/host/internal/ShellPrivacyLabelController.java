package dev.capsule.server.host.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A mini-program's privacy label ({@code GET /shell/apps/{appId}/privacy}, the {@code shell/privacy-label} template):
 * shown before a user's first launch ({@link ShellAppController} sends them here while they have not continued past
 * this privacy text), and readable at the same URL whenever they like. Continue ({@code POST} the same path, a shell
 * form with the session's CSRF token and the digest of the label shown) is remembered per user and privacy text
 * ({@link PrivacyLabels}) and opens the mini-program; Back returns to the list.
 *
 * <p>Security guarantees: only for the signed-in shell user and a mini-program their sign-in may open (else 403/404,
 * as the app page); the label is generated from the verified release the user would launch ({@link PrivacyLabels#labelFor});
 * continuing needs the shell form checks ({@link ShellForms}: same origin, CSRF token) and records the digest only when
 * it is the digest of the label the user is served now, so a label shown before the privacy text changed does not
 * count for the new text; every text is printed with {@code th:text} under the shell's CSP (no script on the page).
 */
@Controller
class ShellPrivacyLabelController {
    /** The label's path for an app (also where {@link ShellAppController} sends a first launch). */
    static String path(MiniProgramId app) {
        return "/shell/apps/" + app.value() + "/privacy";
    }

    private final PrivacyLabels labels;

    ShellPrivacyLabelController(PrivacyLabels labels) {
        this.labels = labels;
    }

    @GetMapping("/shell/apps/{appId}/privacy")
    String label(@PathVariable("appId") String appId, HttpServletRequest request, Model model) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        MiniProgramId app = openable(session.principal(), appId);
        PrivacyLabel label = labels.labelFor(session.principal(), app).orElseThrow(ShellPrivacyLabelController::notFound);
        Optional<java.time.Instant> seen = labels.seen(app, session.principal(), label.digest());
        model.addAttribute("label", label);
        model.addAttribute("seenAt", seen.orElse(null));
        model.addAttribute("appPath", ShellEntryController.appPath(app));
        model.addAttribute("labelPath", path(app));
        model.addAttribute("csrf", session.csrfToken());
        model.addAttribute("demo", session.principal().demo());
        return "shell/privacy-label";
    }

    @PostMapping("/shell/apps/{appId}/privacy")
    String continued(@PathVariable("appId") String appId, @RequestParam(name = "digest", required = false) String digest,
            HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        MiniProgramId app = openable(session.principal(), appId);
        PrivacyLabel label = labels.labelFor(session.principal(), app).orElseThrow(ShellPrivacyLabelController::notFound);
        if (digest == null || !digest.equals(label.digest().hex())) {
            return "redirect:" + path(app); // the privacy text changed since the page was shown: show the new one
        }
        labels.continued(app, session.principal(), label.digest());
        return "redirect:" + ShellEntryController.appPath(app);
    }

    private static MiniProgramId openable(ShellPrincipal who, String appId) {
        MiniProgramId app = MiniProgramId.parse(appId).orElseThrow(ShellPrivacyLabelController::notFound);
        if (!who.mayOpen(app)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this sign-in may not open this mini-program");
        }
        return app;
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "no mini-program with this id can be opened here");
    }
}
