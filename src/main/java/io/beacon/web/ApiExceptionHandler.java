package io.beacon.web;

import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.ServiceName;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error as {@code application/problem+json} (RFC 9457) with a detail the client can act on.
 * Client mistakes are 4xx; an unexpected failure is a 500 without internals (and is logged).
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
        problem.setProperty("errors", e.violations().stream()
                .map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return respond(problem);
    }

    @ExceptionHandler(ServiceName.InvalidNameException.class)
    ResponseEntity<ProblemDetail> invalidName(ServiceName.InvalidNameException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid service name", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "name", "message", e.getMessage())));
        return respond(problem);
    }

    @ExceptionHandler(InstanceNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(InstanceNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Instance not found",
                e.getMessage() + " Register it again with POST /register."));
    }

    @ExceptionHandler(ServiceNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownService(ServiceNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Service not found", e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed because of an error in Beacon; it has been logged."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex;
        while (cause != null) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return cast(tooLarge(tooLarge));
            }
            cause = cause.getCause();
        }
        String detail = "The body is not valid JSON for this endpoint.";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Malformed request body", detail);
        if (ex.getCause() instanceof JacksonException jackson) {
            String path = jackson.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String reason = firstLine(jackson.getOriginalMessage());
            if (!path.isEmpty()) {
                problem.setDetail("Field '" + path + "' has the wrong type or format: " + reason);
                problem.setProperty("errors", List.of(Map.of("field", path, "message", reason)));
            } else {
                problem.setDetail(detail + " " + reason);
            }
        } else if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            problem.setDetail("A JSON body is required.");
        }
        return cast(respond(problem));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (ex instanceof org.springframework.web.servlet.resource.NoResourceFoundException missing
                && body instanceof ProblemDetail problem) {
            problem.setDetail("No endpoint " + missing.getHttpMethod() + " /" + missing.getResourcePath()
                    + ". See /v3/api-docs for the API.");
        }
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null) {
            return null;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable value";
        }
        String line = message.lines().findFirst().orElse(message);
        line = line.replaceAll("`[a-z]+(\\.[a-z]+)+\\.([A-Za-z$]+)`", "$2");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }
}
