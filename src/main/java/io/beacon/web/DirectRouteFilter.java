package io.beacon.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.UriUtils;

/**
 * Answers the plain form of the hottest requests ({@link DirectRoute}s) without Spring MVC's dispatch: no
 * handler lookup, argument resolution, content negotiation or message converter, which measured about a fifth
 * of a heartbeat's CPU. It runs after every other filter but the download guard, so security, audit, body
 * limits and request metrics apply as to any request; it sets the matched pattern where MVC would, so the
 * metrics' {@code uri} tag is the route's.
 *
 * <p>A request is plain when it has no {@code Origin} (CORS), an {@code Accept} of none, {@code *}{@code /*}
 * or {@code application/json}, a path that is the pattern's segments exactly (no empty segment, no {@code ;}
 * parameters, no encoded {@code /}), and no body and no {@code Content-Type} (or, for a route that reads a
 * body, {@code Content-Type: application/json} with a {@code Content-Length}: that body is read once, by then
 * within {@code beacon.limits.max-body-bytes}, and kept for MVC). Anything else, and any request a route
 * declines, passes on to MVC. An exception a route throws goes to MVC's exception handlers, as a handler's
 * would. {@code beacon.server.direct-routes=false} turns this off.
 */
final class DirectRouteFilter extends OncePerRequestFilter {

    /** A route with its pattern split into segments; null marks a variable. */
    private record Compiled(DirectRoute route, String[] literals) {

        static Compiled of(DirectRoute route) {
            String[] segments = route.pattern().substring(1).split("/", -1);
            String[] literals = new String[segments.length];
            for (int i = 0; i < segments.length; i++) {
                literals[i] = segments[i].startsWith("{") ? null : segments[i];
            }
            return new Compiled(route, literals);
        }

        /** The decoded variables when the raw path matches, else null. */
        List<String> match(String path) {
            if (path.isEmpty() || path.charAt(0) != '/' || path.indexOf(';') >= 0) {
                return null;
            }
            String[] segments = path.substring(1).split("/", -1);
            if (segments.length != literals.length) {
                return null;
            }
            List<String> variables = new ArrayList<>(2);
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (literals[i] != null) {
                    if (!literals[i].equals(segment)) {
                        return null;
                    }
                } else {
                    String value = decode(segment);
                    if (value == null) {
                        return null;
                    }
                    variables.add(value);
                }
            }
            return variables;
        }

        private static String decode(String segment) {
            if (segment.isEmpty()) {
                return null;
            }
            if (segment.indexOf('%') < 0) {
                return segment;
            }
            try {
                String value = UriUtils.decode(segment, StandardCharsets.UTF_8);
                return value.isEmpty() || value.indexOf('/') >= 0 ? null : value;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private final Map<String, List<Compiled>> byMethod = new HashMap<>();
    private final HandlerExceptionResolver exceptions;

    DirectRouteFilter(List<DirectRoute> routes, HandlerExceptionResolver exceptions) {
        this.exceptions = exceptions;
        for (DirectRoute route : routes) {
            byMethod.computeIfAbsent(route.method(), m -> new ArrayList<>()).add(Compiled.of(route));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<Compiled> routes = byMethod.get(request.getMethod());
        if (routes != null && plainHeaders(request)) {
            String path = request.getRequestURI();
            for (Compiled compiled : routes) {
                List<String> variables = compiled.match(path);
                if (variables != null) {
                    DirectRoute route = compiled.route();
                    if (!(route.readsBody() ? jsonBody(request) : noBody(request))) {
                        break;
                    }
                    HttpServletRequest given = request;
                    if (route.readsBody()) {
                        try {
                            given = BufferedBodyRequest.of(request);
                        } catch (IOException e) {
                            break; // what was not read fails MVC's read of the body the same way: a 400
                        }
                    }
                    if (answered(route, given, response, variables)) {
                        return;
                    }
                    request = given;
                    break;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private boolean answered(DirectRoute route, HttpServletRequest request, HttpServletResponse response,
            List<String> variables) throws IOException, ServletException {
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, route.pattern());
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(route.pattern()));
        try {
            if (route.answer(request, response, variables)) {
                return true;
            }
        } catch (RuntimeException e) {
            if (exceptions.resolveException(request, response, null, e) == null) {
                throw e;
            }
            return true;
        }
        request.removeAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return false;
    }

    private static boolean plainHeaders(HttpServletRequest request) {
        if (!request.getContextPath().isEmpty() || request.getHeader("Origin") != null) {
            return false;
        }
        String accept = request.getHeader("Accept");
        return accept == null || accept.equals("*/*") || accept.equals("application/json");
    }

    private static boolean noBody(HttpServletRequest request) {
        return request.getContentType() == null && request.getContentLengthLong() <= 0
                && request.getHeader("Transfer-Encoding") == null;
    }

    private static boolean jsonBody(HttpServletRequest request) {
        return "application/json".equals(request.getContentType()) && request.getContentLengthLong() > 0
                && request.getHeader("Transfer-Encoding") == null;
    }
}
