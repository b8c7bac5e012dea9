package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem+json the server sends, and writes those that filters send before Spring MVC
 * runs (401, 403, 413 by Content-Length).
 *
 * <p>Security guarantees: a problem carries the type's fixed title, a detail written by Capsule code
 * for the client, and the request path; never an exception message from a library, a class name or
 * a stack trace.
 */
@Component
public class Problems {
    private final JsonMapper json;

    Problems(JsonMapper json) {
        this.json = json;
    }

    static ProblemDetail of(ProblemType type, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        if (request != null) {
            request.setAttribute(ProblemType.REQUEST_ATTRIBUTE, type);
            problem.setInstance(URI.create(safePath(request.getRequestURI())));
        }
        return problem;
    }

    /** The stable type of a status the framework answered with. */
    static ProblemType typeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemType.MALFORMED_REQUEST;
            case 401 -> ProblemType.UNAUTHENTICATED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.REQUEST_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status.is4xxClientError()
                    ? new ProblemType(ProblemType.REQUEST_REJECTED.slug(), org.springframework.http.HttpStatus.valueOf(status.value()),
                            ProblemType.REQUEST_REJECTED.title())
                    : ProblemType.INTERNAL_ERROR;
        };
    }

    /** Writes a problem directly to the response (for filters, outside Spring MVC). */
    void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(body));
        response.flushBuffer();
    }

    /** The request path as a relative URI reference; anything odd in it is percent-encoded away. */
    private static String safePath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
    }
}
