package io.beacon.web;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns a body Jackson could not read into a 400 problem that names the field and the expected JSON type,
 * for example "Field 'port' must be an integer, not a string", with {@code errors:[{field, message}]}.
 * Jackson's own messages name Java classes and features, so they are never passed on, except the
 * syntax reason of malformed JSON (with its line and column).
 */
final class BodyProblems {

    static final String TITLE = "Malformed request body";

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

    private BodyProblems() {
    }

    static ProblemDetail of(HttpMessageNotReadableException ex) {
        JacksonException jackson = find(ex);
        if (jackson == null) {
            String message = ex.getMessage();
            return problem(message != null && message.startsWith("Required request body is missing")
                    ? "A JSON body is required." : "The body could not be read as JSON.", null, null);
        }
        return of(jackson);
    }

    static ProblemDetail of(JacksonException e) {
        String path = path(e);
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof MismatchedInputException mi) {
            if (original.startsWith("Trailing token")) {
                return problem("The body must be one JSON value; more follows it.", null, null);
            }
            Object value = mi instanceof InvalidFormatException f ? f.getValue() : null;
            String message = JsonTypes.mismatch(JsonTypes.expected(mi.getTargetType()),
                    JsonTypes.of(mi.getCurrentToken(), value));
            return path.isEmpty() ? problem("The body " + message + ".", "body", message)
                    : field(path, message);
        }
        if (e instanceof InputCoercionException range) {
            Class<?> type = range.getTargetType();
            String message = type == long.class || type == Long.class
                    ? "must be an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    : "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
            return path.isEmpty() ? problem("The body " + message + ".", "body", message) : field(path, message);
        }
        if (e instanceof StreamConstraintsException) {
            return problem("The body exceeds a limit of JSON reading: " + JsonTypes.syntax(e) + ".", null, null);
        }
        if (e instanceof StreamReadException) {
            Matcher duplicate = DUPLICATE.matcher(original);
            if (duplicate.find()) {
                String name = (path.isEmpty() ? "" : path + ".") + duplicate.group(1);
                return field(name, "is given more than once");
            }
            return problem("The body is not valid JSON: " + JsonTypes.syntax(e) + ".", null, null);
        }
        return path.isEmpty() ? problem("The body does not have the form this endpoint reads.", null, null)
                : field(path, "has a value this endpoint cannot read");
    }

    /** The JSON path of the failure: {@code check.interval}, {@code tags[0]}, {@code [2].outcome}. */
    static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static ProblemDetail field(String field, String message) {
        return problem("Field '" + field + "' " + message + ".", field, message);
    }

    private static ProblemDetail problem(String detail, String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(TITLE);
        if (field != null) {
            problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        }
        return problem;
    }

    private static JacksonException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }
}
