package dev.capsule.server.identity.internal;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Problems of {@link ConsolePage} controllers as console pages (before the platform's problem+json handler):
 * {@code step-up-required} shows the step-up form, which returns to the page the refused form was on; any
 * other problem shows {@code console/refused} with the problem's sentence and a link back. Both pages carry the
 * problem type's URI ({@code data-problem-type} on {@code main}), so a program can tell the refusals apart as it
 * does with problem+json.
 *
 * <p>Security guarantees: the answer keeps the problem's status, and the problem type is left for the access
 * module's denial audit, so a refusal on a console page is audited exactly as the same refusal of the API; the
 * page to return to is derived from the request's own path and kept inside the console
 * ({@link ConsolePaths#returnTo}); the sentence is printed escaped.
 */
@ControllerAdvice(annotations = ConsolePage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleProblemPages {

    @ExceptionHandler(ProblemException.class)
    String problem(ProblemException problem, HttpServletRequest request, HttpServletResponse response, Model model) {
        request.setAttribute(ProblemType.REQUEST_ATTRIBUTE, problem.type());
        response.setStatus(problem.type().status().value());
        String back = back(request);
        model.addAttribute("next", back);
        model.addAttribute("problemType", problem.type().uri().toString());
        if (problem.type().equals(AccessProblems.STEP_UP_REQUIRED)) {
            model.addAttribute("notice", "That action needs a second factor within the last 5 minutes. Confirm it is you, "
                    + "then do it again.");
            return "console/step-up";
        }
        model.addAttribute("title", problem.type().title());
        model.addAttribute("error", problem.sentence());
        return "console/refused";
    }

    /**
     * The page a refused request came from: for a form (POST) the page of its subject, which is the path's first
     * two segments below {@code /console} ({@code /console/operators/alice/roles} → {@code /console/operators/alice});
     * for a page that could not be shown, the console home.
     */
    static String back(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return ConsolePaths.HOME;
        }
        String[] segments = request.getRequestURI().substring(Math.min(request.getRequestURI().length(),
                ConsolePaths.PREFIX.length())).split("/");
        StringBuilder page = new StringBuilder(ConsolePaths.PREFIX);
        for (int i = 1; i < segments.length && i <= 2; i++) {
            page.append('/').append(segments[i]);
        }
        return ConsolePaths.returnTo(page.toString());
    }
}
