package io.beacon.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 401 and 403 answers, as {@code application/problem+json}. A 401 says how to authenticate and never
 * whether a token exists (unknown and revoked tokens get the same answer); a 403 names the scope needed and
 * the token's id.
 */
final class Problems {

    /** The challenges of every 401: a bearer token, or HTTP Basic with the token as password. */
    static final String CHALLENGE = "Bearer realm=\"beacon\", Basic realm=\"beacon\"";
    static final String MISSING_DETAIL = "This request needs a token: send 'Authorization: Bearer <token>' "
            + "(Eureka clients: HTTP Basic with the token as password, http://beacon:<token>@host/eureka/).";
    static final String INVALID_DETAIL = "The token is not valid. Send a token Beacon has issued, as "
            + "'Authorization: Bearer <token>' or as the password of HTTP Basic.";

    private static final JsonMapper JSON = JsonMapper.shared();

    private Problems() {
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail,
            boolean invalidToken) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, invalidToken
                ? "Bearer realm=\"beacon\", error=\"invalid_token\", Basic realm=\"beacon\"" : CHALLENGE);
        write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail, Map.of());
    }

    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedProblem denied)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"beacon\", error=\"insufficient_scope\", "
                + "scope=\"" + denied.requiredScope() + "\"");
        write(request, response, HttpStatus.FORBIDDEN, "Forbidden", denied.getMessage(), extensions(denied));
    }

    /** The 403 as a problem for Spring MVC's exception handling. */
    static ProblemDetail forbidden(AccessDeniedProblem denied, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, denied.getMessage());
        problem.setTitle("Forbidden");
        if (instance != null) {
            problem.setInstance(java.net.URI.create(instance));
        }
        extensions(denied).forEach(problem::setProperty);
        return problem;
    }

    private static Map<String, Object> extensions(AccessDeniedProblem denied) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("requiredScope", denied.requiredScope());
        extra.put("token", denied.principalId());
        return extra;
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String title, String detail, Map<String, Object> extra) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.putAll(extra);
        byte[] body = JSON.writeValueAsBytes(problem);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
