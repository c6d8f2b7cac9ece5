package io.beacon.security;

import io.beacon.registry.ServiceName;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON line on the logger {@value #LOGGER} (INFO) per state-changing request ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE}), allowed or denied, in both modes; allowed lease renewals only when
 * {@link AuditProperties#renewals()} is on:
 * <pre>{"time":"2026-01-05T10:00:00Z","principal":"ci-orders","client":"10.1.2.3","action":"heartbeat",
 * "method":"PUT","path":"/heartbeat/orders/10.0.0.5:8080","service":"orders","instance":"10.0.0.5:8080",
 * "status":200}</pre>
 * {@code principal} is the token id (later a certificate subject), {@code anonymous} without one; for
 * requests whose services are in the body, {@code services} lists the ones checked. Never a secret or
 * header.
 */
final class AuditLog extends OncePerRequestFilter {

    static final String LOGGER = "beacon.audit";
    static final String SERVICES_ATTRIBUTE = AuditLog.class.getName() + ".services";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final JsonMapper JSON = JsonMapper.shared();

    private static final Set<String> RENEWALS = Set.of("heartbeat", "eureka.renew");

    private final Clock clock;
    private final boolean auditRenewals;

    AuditLog(Clock clock, boolean auditRenewals) {
        this.clock = clock;
        this.auditRenewals = auditRenewals;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod()) || !log.isInfoEnabled();
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

    private String line(HttpServletRequest request, Endpoint endpoint, int status) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        Object principal = request.getAttribute(TokenFilter.PRINCIPAL_ATTRIBUTE);
        line.put("principal", principal != null ? principal : "anonymous");
        line.put("client", request.getRemoteAddr());
        line.put("action", endpoint.action());
        line.put("method", request.getMethod());
        line.put("path", request.getRequestURI());
        if (endpoint.service() != null) {
            line.put("service", endpoint.service());
        }
        Object services = request.getAttribute(SERVICES_ATTRIBUTE);
        if (services != null) {
            line.put("services", services);
        }
        if (endpoint.instance() != null) {
            line.put("instance", endpoint.instance());
        }
        line.put("status", status);
        return JSON.writeValueAsString(line);
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
}
