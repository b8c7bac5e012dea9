package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Role;
import dev.capsule.server.platform.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The operator console's server-rendered pages: sign-in, second factor, recovery code, password
 * change, MFA enrolment (QR code, then the recovery codes once) and a minimal home. Every form posts
 * with a CSRF token; pages carry no script. After a POST the browser is redirected, except when
 * the answer holds something shown only once (recovery codes).
 */
@Controller
class ConsoleController {
    private final SignInFlow signIn;
    private final OperatorAccount account;
    private final OperatorSessions sessions;
    private final CurrentOperator current;

    ConsoleController(SignInFlow signIn, OperatorAccount account, OperatorSessions sessions, CurrentOperator current) {
        this.signIn = signIn;
        this.account = account;
        this.sessions = sessions;
        this.current = current;
    }

    @GetMapping({ConsolePaths.PREFIX, ConsolePaths.HOME})
    String home(Model model) {
        Operator operator = current.require();
        model.addAttribute("username", operator.username());
        model.addAttribute("roles", operator.roles().stream().map(Role::code).sorted().toList());
        model.addAttribute("recoveryCodesLeft", account.recoveryCodesLeft(operator));
        return "console/home";
    }

    @GetMapping(ConsolePaths.SIGN_IN)
    String signInPage(@RequestParam(name = "outcome", required = false) String outcome, Model model) {
        model.addAttribute("message", switch (outcome == null ? "" : outcome) {
            case "failed" -> "Sign-in failed: the username, password or code is wrong. Start again.";
            case "throttled" -> "Too many failed attempts. Wait a while and try again.";
            case "signed-out" -> "You are signed out.";
            default -> null;
        });
        return "console/sign-in";
    }

    @PostMapping(ConsolePaths.SIGN_IN)
    String signIn(@RequestParam(name = "username", defaultValue = "") String username, @RequestParam(name = "password", defaultValue = "") String password,
            HttpServletRequest request) {
        return redirectFor(signIn.password(request, limit(username, AuthApiController.USERNAME_FIELD_CHARS_MAX),
                limit(password, AuthApiController.PASSWORD_FIELD_CHARS_MAX)));
    }

    @GetMapping(ConsolePaths.SECOND_FACTOR)
    String secondFactorPage(HttpServletRequest request) {
        return sessions.pending(request).isPresent() ? "console/second-factor" : "redirect:" + ConsolePaths.SIGN_IN;
    }

    @PostMapping(ConsolePaths.SECOND_FACTOR)
    String secondFactor(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request) {
        return redirectFor(signIn.totpCode(request, limit(code, AuthApiController.CODE_FIELD_CHARS_MAX)));
    }

    @GetMapping(ConsolePaths.RECOVERY)
    String recoveryPage(HttpServletRequest request) {
        return sessions.pending(request).isPresent() ? "console/recovery" : "redirect:" + ConsolePaths.SIGN_IN;
    }

    @PostMapping(ConsolePaths.RECOVERY)
    String recovery(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request) {
        return redirectFor(signIn.recoveryCode(request, limit(code, AuthApiController.CODE_FIELD_CHARS_MAX)));
    }

    @GetMapping(ConsolePaths.PASSWORD)
    String passwordPage(Model model) {
        model.addAttribute("mustChange", current.require().mustChangePassword());
        return "console/password";
    }

    @PostMapping(ConsolePaths.PASSWORD)
    String changePassword(@RequestParam(name = "currentPassword", defaultValue = "") String currentPassword, @RequestParam(name = "newPassword", defaultValue = "") String newPassword,
            @RequestParam(name = "confirmPassword", defaultValue = "") String confirmPassword, HttpServletRequest request, Model model) {
        Operator operator = current.require();
        model.addAttribute("mustChange", operator.mustChangePassword());
        if (!newPassword.equals(confirmPassword)) {
            model.addAttribute("error", "The new password and its confirmation differ.");
            return "console/password";
        }
        try {
            account.changePassword(request, operator, limit(currentPassword, AuthApiController.PASSWORD_FIELD_CHARS_MAX),
                    limit(newPassword, AuthApiController.PASSWORD_FIELD_CHARS_MAX));
        } catch (ProblemException e) {
            model.addAttribute("error", sentence(e.getMessage()));
            return "console/password";
        }
        return "redirect:" + (operator.mfaEnrolled() ? ConsolePaths.HOME : ConsolePaths.MFA);
    }

    @GetMapping(ConsolePaths.MFA)
    String enrolmentPage(Model model) {
        Operator operator = current.require();
        if (operator.mustChangePassword()) {
            return "redirect:" + ConsolePaths.PASSWORD;
        }
        if (operator.mfaEnrolled()) {
            return "redirect:" + ConsolePaths.HOME;
        }
        return enrolment(model, account.enrolment(operator, false), null);
    }

    @PostMapping(ConsolePaths.MFA)
    String confirmEnrolment(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request, Model model) {
        Operator operator = current.require();
        try {
            List<String> codes = account.confirmEnrolment(request, operator, limit(code, AuthApiController.CODE_FIELD_CHARS_MAX));
            model.addAttribute("recoveryCodes", codes);
            return "console/recovery-codes";
        } catch (ProblemException e) {
            if (operator.mfaEnrolled() || operator.mustChangePassword()) {
                return "redirect:" + ConsolePaths.HOME;
            }
            return enrolment(model, account.enrolment(operator, false), sentence(e.getMessage()));
        }
    }

    /** Step-up for console pages whose action needs a recent second factor (approving a package, ...). */
    @GetMapping(ConsolePaths.STEP_UP)
    String stepUpPage(@RequestParam(name = "next", required = false) String next, Model model) {
        current.require();
        model.addAttribute("next", ConsolePaths.returnTo(next));
        return "console/step-up";
    }

    @PostMapping(ConsolePaths.STEP_UP)
    String stepUp(@RequestParam(name = "code", defaultValue = "") String code, @RequestParam(name = "next", required = false) String next,
            HttpServletRequest request, Model model) {
        Operator operator = current.require();
        String target = ConsolePaths.returnTo(next);
        try {
            account.stepUp(request, operator, limit(code, AuthApiController.CODE_FIELD_CHARS_MAX));
        } catch (ProblemException e) {
            model.addAttribute("next", target);
            model.addAttribute("error", sentence(e.getMessage()));
            return "console/step-up";
        }
        return "redirect:" + target;
    }

    @PostMapping(ConsolePaths.SIGN_OUT)
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:" + ConsolePaths.SIGN_IN + "?outcome=signed-out";
    }

    @PostMapping(ConsolePaths.SIGN_OUT_EVERYWHERE)
    String signOutEverywhere(HttpServletRequest request) {
        sessions.signOutEverywhere(current.require().id());
        sessions.signOut(request);
        return "redirect:" + ConsolePaths.SIGN_IN + "?outcome=signed-out";
    }

    private static String enrolment(Model model, OperatorAccount.Enrolment enrolment, String error) {
        model.addAttribute("secret", enrolment.secretBase32().replaceAll("(.{4})(?!$)", "$1 "));
        model.addAttribute("otpauthUri", enrolment.otpauthUri());
        model.addAttribute("qrCode", "data:image/png;base64," + Base64.getEncoder().encodeToString(enrolment.qrCodePng()));
        model.addAttribute("error", error);
        return "console/mfa";
    }

    private static String redirectFor(SignInStep step) {
        return "redirect:" + switch (step) {
            case SignInStep.SecondFactorRequired required -> ConsolePaths.SECOND_FACTOR;
            case SignInStep.OnboardingRequired onboarding ->
                    onboarding.operator().mustChangePassword() ? ConsolePaths.PASSWORD : ConsolePaths.MFA;
            case SignInStep.SignedIn signedIn -> ConsolePaths.HOME;
            case SignInStep.Failed failed -> ConsolePaths.SIGN_IN + "?outcome=failed";
            case SignInStep.Throttled throttled -> ConsolePaths.SIGN_IN + "?outcome=throttled";
        };
    }

    /** Form fields longer than the API's limits are cut (they are wrong anyway), so no work grows with them. */
    private static String limit(String value, int charsMax) {
        return value.length() > charsMax ? value.substring(0, charsMax) : value;
    }

    private static String sentence(String detail) {
        return detail.isEmpty() ? detail : Character.toUpperCase(detail.charAt(0)) + detail.substring(1) + (detail.endsWith(".") ? "" : ".");
    }
}
