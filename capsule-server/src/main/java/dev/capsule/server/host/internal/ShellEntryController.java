package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in to and out of the shell: {@code GET /shell/enter?grant=…} (a super-app's grant), {@code /shell/demo}
 * (demo users, only when they are on), {@code POST /shell/sign-out}, and the signed-out page.
 *
 * <p>Why {@code /shell/enter} answers a page instead of a redirect: the browser arrives from the super-app (another
 * site), and a {@code SameSite=Strict} cookie is not sent on a redirect of a cross-site navigation; the page moves
 * on by itself ({@code <meta http-equiv="refresh">}, no script) from this server's own origin, where it is. The
 * grant is no longer in the URL the user ends up on.
 */
@Controller
class ShellEntryController {
    private final ShellSignIn signIn;
    private final HostSettings settings;
    private final DemoCodeStepUp stepUp;

    ShellEntryController(ShellSignIn signIn, HostSettings settings, DemoCodeStepUp stepUp) {
        this.signIn = signIn;
        this.settings = settings;
        this.stepUp = stepUp;
    }

    @GetMapping(ShellPaths.ENTER)
    String enter(@RequestParam(name = "grant", required = false) String grant, HttpServletResponse response, Model model) {
        Optional<ShellSignIn.Entered> entered = signIn.exchange(grant);
        model.addAttribute("demo", settings.demoUsers());
        if (entered.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("reason", "This sign-in link was already used or has expired. Open the mini-program from your app again.");
            return "shell/signed-out";
        }
        ShellCookie.set(response, entered.get(), settings.shellSessionSeconds());
        model.addAttribute("next", entered.get().session().principal().onlyApp().map(ShellEntryController::appPath).orElse(ShellPaths.LIST));
        return "shell/enter";
    }

    @GetMapping(ShellPaths.DEMO)
    String demo(Model model) {
        requireDemoUsers();
        model.addAttribute("demo", true);
        model.addAttribute("users", DemoUsers.ALL.stream().map(ShellUserId::value).toList());
        // The payment sheet's step-up for demo users: each one's TOTP secret, to put in an authenticator app.
        java.util.Map<String, String> secrets = new java.util.LinkedHashMap<>();
        DemoUsers.ALL.forEach(user -> stepUp.demoSecret(PayerRefs.payer(user)).ifPresent(secret -> secrets.put(user.value(), secret)));
        model.addAttribute("stepUpSecrets", secrets);
        return "shell/demo";
    }

    @PostMapping(ShellPaths.DEMO)
    String enterDemo(@RequestParam(name = "user", required = false) String user, HttpServletRequest request, HttpServletResponse response) {
        requireDemoUsers();
        ShellForms.requireSameOrigin(request);
        ShellUserId demoUser = DemoUsers.named(user).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "user: not one of the demo users"));
        ShellCookie.set(response, signIn.enterDemo(demoUser), settings.shellSessionSeconds());
        // Posted from this server's own page: the redirect is a same-site navigation and carries the new cookie.
        return "redirect:" + ShellPaths.LIST;
    }

    @PostMapping(ShellPaths.SIGN_OUT)
    String signOut(HttpServletRequest request, HttpServletResponse response) {
        ShellForms.requireSessionForm(request);
        ShellCookie.token(request).ifPresent(signIn::signOut);
        ShellCookie.clear(response);
        return "redirect:" + ShellPaths.SIGNED_OUT;
    }

    @GetMapping(ShellPaths.SIGNED_OUT)
    String signedOut(Model model) {
        model.addAttribute("demo", settings.demoUsers());
        model.addAttribute("reason", "You are not signed in. Open the mini-program from your app again.");
        return "shell/signed-out";
    }

    private void requireDemoUsers() {
        if (!settings.demoUsers()) {
            throw new ProblemException(HostProblems.DEMO_USERS_OFF, "demo users are offered only in development mode (capsule serve --dev)");
        }
    }

    /** The page of one open mini-program (the session host's controller serves it). */
    static String appPath(MiniProgramId app) {
        return "/shell/apps/" + app.value();
    }
}
