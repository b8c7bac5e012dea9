package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every exception a request can end in into problem+json with a stable type
 * ({@link ProblemType}). Spring MVC's own exceptions keep their status; anything unexpected is a 500
 * whose body says nothing about the cause (the log has it).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** At most this many field errors are listed in a validation problem. */
    static final int FIELD_ERRORS_MAX = 50;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Object> problem(ProblemException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(e.type(), e.getMessage(), request);
        e.properties().forEach(problem::setProperty);
        return respond(problem);
    }

    /** Spring Security decides these: its filters turn them into 401 and 403. */
    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void security(RuntimeException e) {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (RequestTooLargeException.causedBy(e)) {
            return respond(Problems.of(ProblemType.REQUEST_TOO_LARGE, RequestSizeLimitFilter.tooLargeDetail(request), request));
        }
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return respond(Problems.of(ProblemType.INTERNAL_ERROR,
                "the server failed to handle this request; the failure is in its log", request));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = servletRequest(request);
        if (RequestTooLargeException.causedBy(e)) {
            return respond(Problems.of(ProblemType.REQUEST_TOO_LARGE, RequestSizeLimitFilter.tooLargeDetail(servletRequest), servletRequest));
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            ProblemDetail problem = Problems.of(ProblemType.UNKNOWN_FIELD, "unknown field '" + field + "'", servletRequest);
            problem.setProperty("field", field);
            return respond(problem);
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = path(databind);
            ProblemDetail problem = Problems.of(ProblemType.MALFORMED_REQUEST,
                    "field '" + field + "' has a value of the wrong type or form", servletRequest);
            problem.setProperty("field", field);
            return respond(problem);
        }
        String detail = cause instanceof JacksonException ? "the body is not valid JSON" : "the request body is missing or unreadable";
        return respond(Problems.of(ProblemType.MALFORMED_REQUEST, detail, servletRequest));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .limit(FIELD_ERRORS_MAX)
                .forEach(error -> errors.add(fieldError(error.getField(), error.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().stream()
                .limit(Math.max(0, FIELD_ERRORS_MAX - errors.size()))
                .forEach(error -> errors.add(fieldError("", error.getDefaultMessage())));
        return respond(validation(errors, servletRequest(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().stream()
                .limit(FIELD_ERRORS_MAX)
                .forEach(error -> errors.add(fieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return respond(validation(errors.stream().limit(FIELD_ERRORS_MAX).toList(), servletRequest(request)));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = servletRequest(request);
        return respond(Problems.of(ProblemType.NOT_FOUND, "nothing is at " + servletRequest.getMethod() + " "
                + servletRequest.getRequestURI(), servletRequest));
    }

    /** Every other Spring MVC exception: its status and its own client-facing detail, with a stable type. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemType type = Problems.typeFor(status);
        String detail = body instanceof ProblemDetail spring && spring.getDetail() != null && status.is4xxClientError()
                ? spring.getDetail() : type.title();
        ProblemDetail problem = Problems.of(type, detail, servletRequest(request));
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, merged, type.status());
    }

    private static ProblemDetail validation(List<Map<String, String>> errors, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(ProblemType.VALIDATION,
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid", request);
        problem.setProperty("errors", errors);
        return problem;
    }

    private static Map<String, String> fieldError(String field, String message) {
        return Map.of("field", field == null ? "" : field, "message", message == null ? "is invalid" : message);
    }

    private static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((ServletWebRequest) request).getRequest();
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
