package io.beacon.web;

import io.beacon.registry.CapacityExceededException;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.RegistryUnavailableException;
import io.beacon.registry.ServiceName;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error as {@code application/problem+json} (RFC 9457) with a detail the client can act on.
 * Client mistakes are 4xx naming the field, parameter or limit; details never name Beacon's classes or
 * Java exceptions. Only a failure of Beacon itself is a 500, without internals (and is logged).
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    static final String INTERNAL_DETAIL =
            "The request could not be completed because of an error in Beacon; it has been logged.";

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

    /**
     * A capacity limit: 409 Conflict, not 429 (waiting does not help, only instances leaving or a higher
     * limit do) and not 507 (a client's request, never a 5xx); no {@code Retry-After}.
     */
    @ExceptionHandler(CapacityExceededException.class)
    ResponseEntity<ProblemDetail> capacity(CapacityExceededException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Capacity limit reached", e.getMessage());
        problem.setProperty("limit", e.limit().label());
        problem.setProperty("value", e.maximum());
        return respond(problem);
    }

    /**
     * The registry cannot take writes now (a cluster member cut off from its majority): 503 with
     * {@code Retry-After}, a state of the server, not a mistake of the client; nothing was changed.
     */
    @ExceptionHandler(RegistryUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(RegistryUnavailableException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Registry unavailable", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    @ExceptionHandler(ServiceNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownService(ServiceNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Service not found", e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage()));
    }

    /** The container could not parse the query string; {@link RequestGuardFilter} names the parameter first. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException e) {
        return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request", "The query string could not be "
                + "read: use percent-encoded UTF-8 and at most 1000 parameters."));
    }

    /** Beacon reads no multipart bodies; multipart parsing is off, this covers a request that still gets one. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        return respond(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                "Beacon does not read multipart bodies; send the body as application/json."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (HealthPaths.isUnknownNestedPath(e, request)) {
            return respond(problem(HttpStatus.NOT_FOUND, "Not Found", "No health component or group at "
                    + request.getRequestURI() + ". See /actuator/health for the components."));
        }
        log.error("Unexpected error", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", INTERNAL_DETAIL));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return cast(tooLarge(tooLarge));
            }
        }
        return cast(respond(BodyProblems.of(ex)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ex.getBody();
        problem.setDetail(ex.getContentType() == null
                ? "The Content-Type cannot be parsed; send the body as application/json."
                : "Content-Type " + InputRules.quote(ex.getContentType().toString())
                        + " is not supported; send the body as application/json.");
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null) {
            return null;
        }
        if (ex instanceof NoResourceFoundException missing && response.getBody() instanceof ProblemDetail problem) {
            problem.setDetail("No endpoint " + missing.getHttpMethod() + " /" + missing.getResourcePath()
                    + ". See /v3/api-docs for the API.");
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
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
