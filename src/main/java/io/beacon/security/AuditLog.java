package io.beacon.security;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.ServiceName;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * One JSON line on the logger {@value #LOGGER} (INFO) per state-changing request ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE}), allowed or denied, in both modes; allowed lease renewals only when
 * {@link AuditProperties#renewals()} is on:
 * <pre>{"time":"2026-01-05T10:00:00Z","principal":"ci-orders","client":"10.1.2.3","action":"heartbeat",
 * "method":"PUT","path":"/heartbeat/orders/10.0.0.5:8080","service":"orders","instance":"10.0.0.5:8080",
 * "status":200}</pre>
 * {@code principal} is the token id or certificate subject, {@code anonymous} without one. For requests
 * whose services are in the body, {@code services} lists the ones checked; {@code instance} is the instance
 * a one-instance body names ({@code POST /register}); {@code instances} lists the {@code service/id} of a
 * batch ({@code POST /report}), at most {@value #MAX_INSTANCES}, with {@code instancesOmitted} counting the
 * rest. Never a secret or header. Reads are not logged, and a line is only built when the logger is on.
 * The line is written field by field (strings escaped by Jackson's encoder), not through a map and a mapper.
 */
final class AuditLog extends OncePerRequestFilter {

    static final String LOGGER = "beacon.audit";
    static final String SERVICES_ATTRIBUTE = AuditLog.class.getName() + ".services";
    static final String INSTANCES_ATTRIBUTE = AuditLog.class.getName() + ".instances";
    /** The most instances one audit line lists; a batch's others are counted in {@code instancesOmitted}. */
    static final int MAX_INSTANCES = 20;

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private static final Set<String> RENEWALS = Set.of("heartbeat", "eureka.renew");

    private final Clock clock;
    private final boolean auditRenewals;

    AuditLog(Clock clock, boolean auditRenewals) {
        this.clock = clock;
        this.auditRenewals = auditRenewals;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isWrite(request.getMethod()) || !log.isInfoEnabled();
    }

    private static boolean isWrite(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            int status = response.getStatus();
            Endpoint endpoint = Endpoint.of(request);
            if (auditRenewals || status >= 400 || !RENEWALS.contains(endpoint.action())) {
                log.info(line(request, endpoint, status));
            }
        }
    }

    String line(HttpServletRequest request, Endpoint endpoint, int status) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", clock.instant().toString());
        Object principal = request.getAttribute(TokenFilter.PRINCIPAL_ATTRIBUTE);
        field(line.append(','), "principal", principal != null ? principal.toString() : "anonymous");
        field(line.append(','), "client", request.getRemoteAddr());
        field(line.append(','), "action", endpoint.action());
        field(line.append(','), "method", request.getMethod());
        field(line.append(','), "path", request.getRequestURI());
        if (endpoint.service() != null) {
            field(line.append(','), "service", endpoint.service());
        }
        if (request.getAttribute(SERVICES_ATTRIBUTE) instanceof List<?> services) {
            list(line.append(','), "services", services, services.size());
        }
        Instances instances = request.getAttribute(INSTANCES_ATTRIBUTE) instanceof Instances noted ? noted : null;
        String instance = endpoint.instance() != null ? endpoint.instance()
                : instances != null && instances.single() ? instances.ids().get(0) : null;
        if (instance != null) {
            field(line.append(','), "instance", instance);
        }
        if (instances != null && !instances.single()) {
            list(line.append(','), "instances", instances.ids(), instances.ids().size());
            if (instances.omitted() > 0) {
                line.append(",\"instancesOmitted\":").append(instances.omitted());
            }
        }
        line.append(",\"status\":").append(status).append('}');
        return line.toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":");
        string(line, value);
    }

    private static void string(StringBuilder line, String value) {
        if (value == null) {
            line.append("null");
            return;
        }
        line.append('"');
        ESCAPE.quoteAsString(value, line);
        line.append('"');
    }

    private static void list(StringBuilder line, String name, List<?> values, int size) {
        line.append('"').append(name).append("\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                line.append(',');
            }
            string(line, String.valueOf(values.get(i)));
        }
        line.append(']');
    }

    /** Notes a service a handler checked, for the request's audit line. */
    @SuppressWarnings("unchecked")
    static void noteService(ServiceName service) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            return;
        }
        Object known = attributes.getAttribute(SERVICES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        List<String> services = known instanceof List<?> list ? (List<String>) list : new ArrayList<>();
        if (!services.contains(service.value())) {
            services.add(service.value());
        }
        attributes.setAttribute(SERVICES_ATTRIBUTE, services, RequestAttributes.SCOPE_REQUEST);
    }

    /**
     * Notes the instances a body names, for the request's audit line: one instance as {@code instance} (its
     * id), several as {@code instances} ({@code service/id}, the first {@value #MAX_INSTANCES}).
     */
    static void noteInstances(List<InstanceKey> keys) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null || keys.isEmpty()) {
            return;
        }
        Instances noted = keys.size() == 1 ? new Instances(List.of(keys.get(0).id()), 0, true)
                : new Instances(keys.stream().limit(MAX_INSTANCES).map(InstanceKey::toString).toList(),
                        Math.max(0, keys.size() - MAX_INSTANCES), false);
        attributes.setAttribute(INSTANCES_ATTRIBUTE, noted, RequestAttributes.SCOPE_REQUEST);
    }

    /** The instances of a request's body, as its audit line shows them. */
    private record Instances(List<String> ids, int omitted, boolean single) {
    }
}
