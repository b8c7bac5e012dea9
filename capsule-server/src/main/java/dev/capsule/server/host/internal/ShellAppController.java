package dev.capsule.server.host.internal;

import dev.capsule.runtime.view.ViewPackage;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.WxssException;
import dev.capsule.server.host.HostedSessionId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The shell's page of one open mini-program ({@code GET /shell/apps/{appId}}: the {@code shell/app} template, whose
 * {@code shell.js} opens the WebSocket; before a user's first launch of a release, and again when its privacy text
 * changed, a redirect to its privacy label, {@link ShellPrivacyLabelController}), and what a running session's page loads by URL: its compiled stylesheet
 * ({@code /shell/s/{sid}/page.css?route=…}) and its package's images and fonts ({@code /shell/s/{sid}/assets/{path}}).
 *
 * <p>Security guarantees: every path needs the shell principal (else 403, audited); a session's stylesheet and assets
 * are served only to the user whose session it is, only while it runs, and only for a page of its package (CSS) or a
 * file of its package with an image or font extension ({@code Content-Type} from the extension, {@code nosniff}, and a
 * sandboxing CSP so an SVG opened directly runs nothing); anything else is 404 alike.
 */
@Controller
class ShellAppController {
    /** The CSP of an asset response: nothing runs and nothing loads, even for an SVG opened as a document. */
    static final String ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private final ObjectProvider<LaunchSource> sources;
    private final SessionHost host;
    private final HostSettings settings;
    private final PrivacyLabels labels;

    ShellAppController(ObjectProvider<LaunchSource> sources, SessionHost host, HostSettings settings, PrivacyLabels labels) {
        this.sources = sources;
        this.host = host;
        this.settings = settings;
        this.labels = labels;
    }

    /**
     * The page of one mini-program; model attributes {@code entry}, {@code wsPath}, {@code demo}, {@code dev} and
     * {@code csrf} (the shell session's CSRF token, which the payment sheet sends with a card to the card endpoint).
     */
    @GetMapping("/shell/apps/{appId}")
    String app(@PathVariable("appId") String appId, Principal principal, HttpServletRequest request, Model model) {
        ShellPrincipal who = principal(principal);
        MiniProgramId app = MiniProgramId.parse(appId)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no mini-program with this id can be opened here"));
        if (!who.mayOpen(app)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this sign-in may not open this mini-program");
        }
        CatalogueEntry entry = sources.orderedStream()
                .flatMap(source -> source.openable(who).stream())
                .filter(candidate -> candidate.app().equals(app))
                .findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no mini-program with this id can be opened here"));
        Optional<PrivacyLabel> label = labels.labelFor(who, app);
        if (label.isPresent() && labels.seen(app, who, label.get().digest()).isEmpty()) {
            return "redirect:" + ShellPrivacyLabelController.path(app); // first launch, or the privacy text changed
        }
        model.addAttribute("entry", entry);
        model.addAttribute("labelPath", label.isPresent() ? ShellPrivacyLabelController.path(app) : null);
        model.addAttribute("wsPath", ShellHandshake.PATH_PREFIX + app.value());
        model.addAttribute("demo", who.demo());
        model.addAttribute("dev", settings.previewDirectory() != null);
        model.addAttribute("csrf", request.getAttribute(ShellSessionFilter.SESSION_ATTRIBUTE) instanceof ShellSignIn.ShellSession shell
                ? shell.csrfToken() : null);
        return "shell/app";
    }

    /** The compiled stylesheet of one page of a running session, its {@code url()}s pointing at {@link #asset}. */
    @GetMapping(path = "/shell/s/{sid}/page.css")
    ResponseEntity<byte[]> pageCss(@PathVariable("sid") String sid, @RequestParam("route") String route, Principal principal) {
        HostedSession session = session(sid, principal);
        if (!HostedSession.routeShaped(route) || !session.pkg().app().pages().contains(route)) {
            throw notFound();
        }
        Optional<ViewPackage> view;
        try {
            view = ViewPackage.of(session.pkg());
        } catch (WxmlException | WxssException e) {
            throw notFound(); // the session could not have rendered it either
        }
        String css = view.map(v -> v.pageCssWithUrls(route, session::assetUrl)).orElse("");
        return ResponseEntity.ok().contentType(new MediaType("text", "css", StandardCharsets.UTF_8))
                .body(css.getBytes(StandardCharsets.UTF_8));
    }

    /** An image or font of a running session's package. */
    @GetMapping(path = "/shell/s/{sid}/assets/{*path}")
    ResponseEntity<byte[]> asset(@PathVariable("sid") String sid, @PathVariable("path") String path, Principal principal) {
        HostedSession session = session(sid, principal);
        String packagePath = path.startsWith("/") ? path.substring(1) : path;
        String type = HostedSession.mediaType(session.pkg(), packagePath).orElseThrow(ShellAppController::notFound);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(type))
                .header("Content-Security-Policy", ASSET_CSP)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"asset\"")
                .body(session.pkg().file(packagePath));
    }

    private HostedSession session(String sid, Principal principal) {
        ShellPrincipal who = principal(principal);
        if (sid == null || !sid.matches("[0-9a-f]{32}")) {
            throw notFound();
        }
        return host.find(who.user(), new HostedSessionId(sid)).orElseThrow(ShellAppController::notFound);
    }

    private static ShellPrincipal principal(Principal principal) {
        return ShellAuthentication.principalOf(principal)
                .orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN, "the shell's pages are for signed-in shell users"));
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "no such file of a running session of yours");
    }
}
