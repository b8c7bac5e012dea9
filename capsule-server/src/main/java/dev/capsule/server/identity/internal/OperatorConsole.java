package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.access.Role;
import dev.capsule.server.platform.ConsolePage;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's operator pages: the list with the create form, and one operator with the forms for roles,
 * disable/enable, MFA reset and password reset. Each handler declares the permission and step-up of the
 * matching {@code /api/v1/operators} endpoint and calls the same {@link OperatorAdministration}; a refusal is
 * a console page with the API's status ({@link ConsolePage}). A one-time password is shown on the answer to
 * the form that made it, once, and never put in a URL.
 *
 * <p>Security guarantees: those of {@link OperatorAdministration}; usernames and every other stored text are
 * printed escaped ({@code th:text}); the pages carry no script; every form posts with the session's CSRF token.
 */
@Controller
@ConsolePage
class OperatorConsole {
    static final String OPERATORS = ConsolePaths.PREFIX + "/operators";
    /** Characters of a form field read at most (longer values are wrong anyway, and refused by the service). */
    static final int FIELD_CHARS_MAX = 200;

    private final OperatorAdministration operators;

    OperatorConsole(OperatorAdministration operators) {
        this.operators = operators;
    }

    @GetMapping(OPERATORS)
    @RequiresPermission(Permission.OPERATORS_READ)
    String list(Model model) {
        model.addAttribute("operators", operators.list().stream().map(OperatorAdminController.OperatorView::of).toList());
        return withAbilities(model, "console/operators");
    }

    @PostMapping(OPERATORS)
    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    String create(@RequestParam(name = "username", defaultValue = "") String username,
            @RequestParam(name = "roles", required = false) List<String> roles, HttpServletRequest request, Model model) {
        return oneTimePassword(model, "created", operators.create(limit(username), limit(roles), request.getRemoteAddr()));
    }

    @GetMapping(OPERATORS + "/{username}")
    @RequiresPermission(Permission.OPERATORS_READ)
    String operator(@PathVariable("username") String username, @RequestParam(name = "outcome", required = false) String outcome,
            Model model) {
        Operator operator = operators.find(username);
        model.addAttribute("operator", OperatorAdminController.OperatorView.of(operator));
        model.addAttribute("message", outcome == null ? null : switch (outcome) {
            case "roles" -> "Roles changed.";
            case "disabled" -> "Disabled; their sessions have ended.";
            case "enabled" -> "Enabled.";
            case "mfa-reset" -> "Authenticator and recovery codes forgotten; they enrol again at their next sign-in.";
            default -> null;
        });
        return withAbilities(model, "console/operator");
    }

    @PostMapping(OPERATORS + "/{username}/roles")
    @RequiresPermission(value = Permission.ROLES_ASSIGN, stepUp = true)
    String setRoles(@PathVariable("username") String username, @RequestParam(name = "roles", required = false) List<String> roles,
            HttpServletRequest request) {
        return back(operators.setRoles(username, limit(roles), request.getRemoteAddr()), "roles");
    }

    @PostMapping(OPERATORS + "/{username}/disable")
    @RequiresPermission(Permission.OPERATORS_MANAGE)
    String disable(@PathVariable("username") String username, HttpServletRequest request) {
        return back(operators.disable(username, request.getRemoteAddr()), "disabled");
    }

    @PostMapping(OPERATORS + "/{username}/enable")
    @RequiresPermission(Permission.OPERATORS_MANAGE)
    String enable(@PathVariable("username") String username, HttpServletRequest request) {
        return back(operators.enable(username, request.getRemoteAddr()), "enabled");
    }

    @PostMapping(OPERATORS + "/{username}/mfa-reset")
    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    String resetMfa(@PathVariable("username") String username, HttpServletRequest request) {
        return back(operators.resetMfa(username, request.getRemoteAddr()), "mfa-reset");
    }

    @PostMapping(OPERATORS + "/{username}/password-reset")
    @RequiresPermission(value = Permission.OPERATORS_MANAGE, stepUp = true)
    String resetPassword(@PathVariable("username") String username, HttpServletRequest request, Model model) {
        return oneTimePassword(model, "reset", operators.resetPassword(username, request.getRemoteAddr()));
    }

    /** The page that shows a one-time password, once (an answer to a POST, so reloading never shows it again). */
    private static String oneTimePassword(Model model, String why, OperatorAdministration.WithPassword made) {
        model.addAttribute("operator", OperatorAdminController.OperatorView.of(made.operator()));
        model.addAttribute("oneTimePassword", made.oneTimePassword());
        model.addAttribute("why", why);
        return "console/operator-password";
    }

    private static String back(Operator operator, String outcome) {
        return "redirect:" + OPERATORS + "/" + URLEncoder.encode(operator.username(), StandardCharsets.UTF_8) + "?outcome=" + outcome;
    }

    /** What the current operator may do here, so a page offers only the forms that would be accepted. */
    private static String withAbilities(Model model, String view) {
        Caller caller = Caller.current();
        model.addAttribute("canManage", caller.holds(Permission.OPERATORS_MANAGE));
        model.addAttribute("canAssignRoles", caller.holds(Permission.ROLES_ASSIGN));
        model.addAttribute("allRoles", Arrays.stream(Role.values()).map(Role::code).toList());
        return view;
    }

    private static String limit(String value) {
        return value.length() > FIELD_CHARS_MAX ? value.substring(0, FIELD_CHARS_MAX) : value;
    }

    /** Checkbox values: none ticked is no roles; more than there are roles is refused by the service. */
    private static List<String> limit(List<String> roles) {
        return roles == null ? List.of() : roles.stream().limit(OperatorAdministration.ROLES_MAX + 1L).map(OperatorConsole::limit).toList();
    }
}
