package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): errors that happen outside Spring MVC's
 * exception handling (a filter that fails, a container-level rejection) still answer problem+json,
 * with only the status's stable type and title (never the exception or its message).
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 && value <= 599 ? value : 500;
        ProblemType type = Problems.typeFor(HttpStatusCode.valueOf(status));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), type.title());
        problem.setType(type.uri());
        problem.setTitle(type.title());
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            problem.setInstance(java.net.URI.create(uri.replaceAll("[^A-Za-z0-9/._~%-]", "")));
        }
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
