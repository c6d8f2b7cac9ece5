package io.beacon.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A handler's {@link AccessDeniedProblem}: the same 403 problem as the filter chain's, counted the same. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityExceptionHandler {

    private final DenialCounter denials;

    SecurityExceptionHandler(DenialCounter denials) {
        this.denials = denials;
    }

    @ExceptionHandler(AccessDeniedProblem.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedProblem e, HttpServletRequest request) {
        denials.count(DenialCounter.Reason.SCOPE);
        return ResponseEntity.status(403).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer realm=\"beacon\", error=\"insufficient_scope\", scope=\""
                        + e.requiredScope() + "\"")
                .body(Problems.forbidden(e, request.getRequestURI()));
    }
}
