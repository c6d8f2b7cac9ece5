package io.beacon.security;

import io.beacon.registry.ServiceName;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.web.util.UriUtils;

/**
 * What a request asks for, worked out from its method and path alone, in one place: the action (named in
 * audit lines), the scope it needs, and the service and instance in its path. Requests whose services are
 * in the body ({@code POST /register}, {@code POST /report}) need the scope on some service here and are
 * checked per service by their handler ({@link ServiceAccess#require}).
 *
 * <p>Open to everyone: the health probes ({@code /actuator/health/**}), the API documents
 * ({@code /v3/api-docs/**}, {@code /swagger-ui/**}), the console's static pages ({@code /} and {@code /ui/**},
 * whose data comes from the API with the console's token) and {@code /error}. Reads ({@code GET}, {@code HEAD})
 * need {@code read}; {@code /actuator/prometheus} too; every other actuator path and {@code /acl/**} need
 * {@code admin}; so does any write this table does not know (it can only be a 404 or 405).
 *
 * @param action e.g. {@code heartbeat}, {@code eureka.renew}, {@code token.revoke}, {@code read}
 * @param scope the scope needed, or null when the endpoint is open
 * @param service the service in the path (as written), or null
 * @param instance the instance id in the path, or null
 * @param servicesInBody whether the handler checks the services of the body
 */
record Endpoint(String action, Scope scope, String service, String instance, boolean servicesInBody) {

    static final String ATTRIBUTE = Endpoint.class.getName();

    boolean open() {
        return scope == null;
    }

    /** The service of the path when it is a valid name, else null (the handler then answers 400). */
    ServiceName serviceName() {
        return service != null && ServiceName.isValid(service) ? ServiceName.of(service) : null;
    }

    /** The request's endpoint, worked out once and kept as a request attribute. */
    static Endpoint of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof Endpoint endpoint) {
            return endpoint;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Endpoint endpoint = classify(request.getMethod(), segments(path));
        request.setAttribute(ATTRIBUTE, endpoint);
        return endpoint;
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (!raw.isEmpty()) {
                int semicolon = raw.indexOf(';');
                String segment = semicolon >= 0 ? raw.substring(0, semicolon) : raw;
                try {
                    segments.add(UriUtils.decode(segment, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    segments.add(segment);
                }
            }
        }
        return segments;
    }

    static Endpoint classify(String method, List<String> s) {
        String m = method.toUpperCase(Locale.ROOT);
        boolean read = m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "actuator":
                if (s.size() >= 2 && s.get(1).equals("health") && read) {
                    return open("health");
                }
                if (s.size() == 2 && s.get(1).equals("prometheus") && read) {
                    return of("metrics.scrape", Scope.READ);
                }
                return of("actuator", Scope.ADMIN);
            case "v3", "swagger-ui", "swagger-ui.html":
                return read ? open("docs") : of("unknown", Scope.ADMIN);
            case "error":
                return open("error");
            case "", "ui":
                // the console's static pages; its data comes from the API, which needs the console's token
                return read ? open("console") : of("unknown", Scope.ADMIN);
            case "acl":
                return of(switch (m) {
                    case "POST" -> "token.create";
                    case "DELETE" -> "token.revoke";
                    default -> "token.list";
                }, Scope.ADMIN);
            default:
                break;
        }
        if (read) {
            return of("read", Scope.READ);
        }
        int n = s.size();
        if (n == 1 && m.equals("POST") && first.equals("register")) {
            return new Endpoint("register", Scope.REGISTER, null, null, true);
        }
        if (n == 1 && m.equals("POST") && first.equals("report")) {
            return new Endpoint("report", Scope.REGISTER, null, null, true);
        }
        if (n == 3 && m.equals("PUT") && first.equals("heartbeat")) {
            return new Endpoint("heartbeat", Scope.REGISTER, s.get(1), s.get(2), false);
        }
        if (n == 3 && m.equals("DELETE") && first.equals("deregister")) {
            return new Endpoint("deregister", Scope.REGISTER, s.get(1), s.get(2), false);
        }
        if (first.equals("services")) {
            if (n == 5 && m.equals("PUT") && s.get(2).equals("instances") && s.get(4).equals("status")) {
                return new Endpoint("drain", Scope.OPERATE, s.get(1), s.get(3), false);
            }
            if (n == 5 && m.equals("PUT") && s.get(2).equals("instances") && s.get(4).equals("weight")) {
                return new Endpoint("weight", Scope.OPERATE, s.get(1), s.get(3), false);
            }
            if (n == 3 && s.get(2).equals("policy") && (m.equals("PUT") || m.equals("DELETE"))) {
                return new Endpoint(m.equals("PUT") ? "policy.set" : "policy.delete", Scope.OPERATE, s.get(1),
                        null, false);
            }
        }
        if (first.equals("eureka") && n >= 3 && s.get(1).equals("apps")) {
            String app = s.get(2);
            if (n == 3 && m.equals("POST")) {
                return new Endpoint("eureka.register", Scope.REGISTER, app, null, false);
            }
            if (n == 4 && m.equals("PUT")) {
                return new Endpoint("eureka.renew", Scope.REGISTER, app, s.get(3), false);
            }
            if (n == 4 && m.equals("DELETE")) {
                return new Endpoint("eureka.cancel", Scope.REGISTER, app, s.get(3), false);
            }
            if (n == 5 && s.get(4).equals("status") && (m.equals("PUT") || m.equals("DELETE"))) {
                return new Endpoint("eureka.status", Scope.OPERATE, app, s.get(3), false);
            }
            if (n == 5 && s.get(4).equals("metadata") && m.equals("PUT")) {
                return new Endpoint("eureka.metadata", Scope.REGISTER, app, s.get(3), false);
            }
        }
        return of("unknown", Scope.ADMIN);
    }

    private static Endpoint open(String action) {
        return new Endpoint(action, null, null, null, false);
    }

    private static Endpoint of(String action, Scope scope) {
        return new Endpoint(action, scope, null, null, false);
    }
}
