package io.beacon.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) as a problem, in place of Spring Boot's
 * {@code {"timestamp","status","error","path"}} body: errors raised outside Spring MVC's handlers (in a
 * filter, or by the container itself) are {@code application/problem+json} like all others. Calling
 * {@code /error} directly is a 404 like any unknown path.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ProblemDetail problem;
        if (!(code instanceof Integer status)) {
            problem = ApiExceptionHandler.problem(HttpStatus.NOT_FOUND, "Not Found", "No endpoint "
                    + request.getMethod() + " " + request.getRequestURI() + ". See /v3/api-docs for the API.");
        } else if (status >= 500) {
            log.error("Error outside the handlers of {}", uri,
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            problem = ApiExceptionHandler.problem(HttpStatus.valueOf(status), ProblemResponses.title(status),
                    ApiExceptionHandler.INTERNAL_DETAIL);
        } else {
            HttpStatus resolved = HttpStatus.resolve(status);
            problem = ProblemDetail.forStatus(status);
            problem.setTitle(ProblemResponses.title(status));
            problem.setDetail(resolved == HttpStatus.CONTENT_TOO_LARGE
                    ? "The request body is too large." : "The request was rejected: " + ProblemResponses.title(status) + ".");
        }
        if (uri instanceof String path) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // no instance for a path that is not a URI
            }
        }
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
