package io.beacon.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects, before anything reads them, the parts of a request the servlet container and Spring would
 * otherwise fail on with a 500:
 * <ul>
 * <li>a query parameter that is not percent-encoded UTF-8 ({@code ?name=fz%ff%fe}): 400 naming the
 * parameter;
 * <li>on a write (POST, PUT, PATCH, or any request with a body), a {@code Content-Type} that cannot be
 * parsed, has a wildcard ({@code *}{@code /*}, {@code application/*}) or names an unknown charset: 415
 * naming the type Beacon reads, {@code application/json}.
 * </ul>
 */
@Component
@Order(FilterOrder.REQUEST_GUARD)
class RequestGuardFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Violation query = invalidParameter(request.getQueryString());
        if (query != null) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "Invalid request",
                    "Invalid '" + query.field() + "': " + query.message(), request.getRequestURI(), List.of(query));
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && (WRITES.contains(request.getMethod()) || hasBody(request))) {
            String problem = contentTypeProblem(contentType);
            if (problem != null) {
                ProblemResponses.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                        problem, request.getRequestURI(), List.of());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Why {@code header} is not a Content-Type Beacon can read a body with; null when it is fine. */
    static String contentTypeProblem(String header) {
        String shown = InputRules.quote(header);
        try {
            MediaType type = MediaType.parseMediaType(header);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return "Content-Type " + shown + " is not a concrete media type; send the body as application/json.";
            }
            return null;
        } catch (InvalidMediaTypeException e) {
            return "Content-Type " + shown + " cannot be parsed or names an unknown charset; send the body as "
                    + "application/json.";
        }
    }

    /** The first query parameter that is not percent-encoded UTF-8, as a violation; null when all are. */
    static Violation invalidParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = decode(rawName);
            if (name == null) {
                return new Violation(InputRules.quote(rawName).replace("'", ""),
                        "is not a parameter name in percent-encoded UTF-8");
            }
            if (decode(rawValue) == null) {
                return new Violation(name, "is not percent-encoded UTF-8: " + InputRules.quote(rawValue));
            }
        }
        return null;
    }

    /** {@code raw} percent-decoded ({@code +} is a space) as strict UTF-8; null when it is not. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
