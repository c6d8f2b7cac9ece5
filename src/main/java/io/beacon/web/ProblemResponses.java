package io.beacon.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem bodies written outside Spring MVC: by the request guard, before any handler runs, and by the
 * container's error report for requests Tomcat rejects before they reach Beacon. Same fields as
 * {@link ApiExceptionHandler}'s answers.
 */
final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.shared();

    private ProblemResponses() {
    }

    /** The problem's JSON text; {@code errors} may be empty. */
    static byte[] body(int status, String title, String detail, String instance, List<Violation> errors) {
        return body(status, title, detail, instance, errors, Map.of());
    }

    /** The problem's JSON text with extension members {@code extra} after the standard ones. */
    static byte[] body(int status, String title, String detail, String instance, List<Violation> errors,
            Map<String, Object> extra) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            problem.put("errors", errors.stream().map(v -> Map.of("field", v.field(), "message", v.message()))
                    .toList());
        }
        extra.forEach(problem::putIfAbsent);
        return JSON.writeValueAsBytes(problem);
    }

    static void write(HttpServletResponse response, HttpStatus status, String title, String detail,
            String instance, List<Violation> errors) throws IOException {
        write(response, status, title, detail, instance, errors, Map.of());
    }

    /** Writes the problem with extension members {@code extra}. */
    static void write(HttpServletResponse response, HttpStatus status, String title, String detail,
            String instance, List<Violation> errors, Map<String, Object> extra) throws IOException {
        byte[] body = body(status.value(), title, detail, instance, errors, extra);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A reason phrase for a status, for problems the container reports. */
    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
