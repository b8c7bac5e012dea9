package dev.capsule.server.host.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The development preview's page ({@code GET /dev}: the shell's device beside the developer panel, signed in as a
 * demo user) and its build status ({@code GET /dev/build}, a long poll). Present only with
 * {@code capsule.host.preview-directory} (as {@link PreviewConfiguration}), so neither path exists on a server without a
 * preview directory.
 */
@Controller
@ConditionalOnProperty(prefix = "capsule.host", name = "preview-directory")
class DevPreviewController {
    static final String PAGE = "/dev";
    static final String BUILD = "/dev/build";
    /** How long {@code /dev/build} waits for a new build before answering the one it has. */
    static final long WAIT_MILLIS_MAX = 25_000;
    /** Requests waiting in {@code /dev/build} at once; more are answered at once (the page polls again). */
    static final int WAITERS_MAX = 8;

    private final PreviewSource source;
    private final ShellSignIn signIn;
    private final HostSettings settings;
    private final Semaphore waiters = new Semaphore(WAITERS_MAX);

    DevPreviewController(PreviewSource source, ShellSignIn signIn, HostSettings settings) {
        this.source = source;
        this.signIn = signIn;
        this.settings = settings;
    }

    /**
     * The preview page. A browser without a demo user's shell session is signed in as the first demo user (the
     * session filter has read the cookie; the WebSocket handshake under /shell/ws/ then carries the new one).
     */
    @GetMapping(PAGE)
    String page(HttpServletRequest request, HttpServletResponse response, Model model) {
        boolean demoSession = ShellAuthentication.principalOf(request.getUserPrincipal()).filter(ShellPrincipal::demo).isPresent();
        String csrf = null;
        if (demoSession && request.getAttribute(ShellSessionFilter.SESSION_ATTRIBUTE) instanceof ShellSignIn.ShellSession shell) {
            csrf = shell.csrfToken();
        } else if (!demoSession) {
            ShellSignIn.Entered entered = signIn.enterDemo(DemoUsers.ALL.getFirst());
            ShellCookie.set(response, entered, settings.shellSessionSeconds());
            csrf = entered.session().csrfToken();
        }
        // The payment sheet's card form sends this token to POST /shell/cards, as on the shell's app page.
        model.addAttribute("csrf", csrf);
        PreviewBuild build = source.current();
        model.addAttribute("build", BuildStatus.of(build));
        model.addAttribute("directory", source.directory().toString());
        model.addAttribute("demo", true);
        model.addAttribute("dev", true);
        build.built().ifPresent(built -> {
            model.addAttribute("entry", built.entry());
            model.addAttribute("wsPath", "/shell/ws/" + built.entry().app().value());
        });
        return "shell/dev";
    }

    /**
     * The newest build outcome once its generation passes {@code after} (at most {@link #WAIT_MILLIS_MAX} later).
     */
    @GetMapping(path = BUILD, produces = "application/json")
    @ResponseBody
    ResponseEntity<BuildStatus> build(@RequestParam(name = "after", defaultValue = "0") long after) throws InterruptedException {
        PreviewBuild build;
        if (after < 0 || !waiters.tryAcquire()) {
            build = source.current();
        } else {
            try {
                build = source.awaitAfter(after, WAIT_MILLIS_MAX);
            } finally {
                waiters.release();
            }
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(BuildStatus.of(build));
    }

    /**
     * A build outcome as the page shows it (JSON of {@code /dev/build}, and the model of {@code /dev}).
     *
     * @param generation the outcome's generation
     * @param app        the app id of the package that runs, or null while none built
     * @param failure    the newest build's error, or null
     * @param warnings   the running package's build warnings
     */
    record BuildStatus(long generation, String app, PreviewBuild.Failure failure, List<String> warnings) {
        static BuildStatus of(PreviewBuild build) {
            return new BuildStatus(build.generation(), build.built().map(b -> b.entry().app().value()).orElse(null),
                    build.failure().orElse(null), build.built().map(PreviewBuild.Built::warnings).orElse(List.of()));
        }
    }
}
